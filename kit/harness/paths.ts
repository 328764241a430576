/** Where things are in the kit. Every command and config takes paths from here. */
import { fileURLToPath } from "node:url";
import path from "node:path";

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const exercisesDir = path.join(rootDir, "exercises");
export const solutionsDir = path.join(rootDir, "solutions");
export const slidesDir = path.join(rootDir, "slides");
export const kitDir = path.join(rootDir, "kit");
/** Everything the kit writes at run time (broker data, logs, hint progress, test results); git ignores it. */
export const stateDir = path.join(kitDir, ".state");
export const composeFile = path.join(rootDir, "docker-compose.yml");
/** The last full run of the solutions, kept by `npm test` so `npm run ledger` can show its proofs. */
export const latestSolutionResults = path.join(stateDir, "results", "solutions-latest.json");
/** The attendee's latest runs of the step tests (`npm run step`, `npm run progress`, the hub), for the hub's step status. */
export const attendeeResultsDir = path.join(stateDir, "results", "attendee");
