/**
 * npm start — the workshop hub in the browser: the decks (audience and presenter views), each
 * step's README with your status, the guarantee ledger and the doctor's checks.
 * It needs no services and no network. PORT=5000 npm start picks the port.
 */
import { startHub } from "../hub/server.ts";
import { bold, dim, main, parseArguments, parsePort, UsageError } from "./cli.ts";

const defaultPort = 18080;

await main(async () => {
  const wanted = process.env.PORT;
  parseArguments(process.argv.slice(2), []);
  const port = wanted === undefined ? defaultPort : parsePort(wanted);
  const hub = await startHub({ port }).catch(async (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EADDRINUSE") throw error;
    // The default port is busy (another hub?): take any free one rather than fail; a chosen port is the user's word.
    if (wanted !== undefined) throw new UsageError(`Port ${port} is taken by another program: choose another, e.g. PORT=${port + 1} npm start`);
    return startHub({ port: 0 });
  });
  console.log(`${bold("The workshop hub is running:")} ${hub.url}`);
  console.log(dim(`ready ${Math.round(performance.now())} ms after node started · no services needed · Ctrl+C stops it`));
  await new Promise<void>((resolve) => {
    const stop = () => {
      void hub.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
});
