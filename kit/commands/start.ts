/** npm start — the workshop hub. It arrives with the slides; until then, point at what exists. */
import { main } from "./cli.ts";

await main(async () => {
  console.log(`The workshop hub (slides, step pages, the ledger) arrives with the slides.
Meanwhile, everything works from the terminal:

  README.md                  what the workshop is and how to start
  npm run progress           where you are: each step, solved or not, and its open tasks
  npm run step 00            the first step's tests against your work
  npm run ledger             the guarantee table, each cell with its proof
  npm run doctor             check this machine and the services
`);
  return 0;
});
