/**
 * `npm run services -- --pull`: the Docker images, pulled ahead of the workshop with progress,
 * so that on the day (behind a venue's one shared address, which Docker Hub's anonymous pull
 * limit soon stops) `npm run services` downloads nothing.
 */
import { hasDockerEngine } from "./docker.ts";
import { dockerCli, type DockerEngine } from "./docker-engine.ts";
import { composeImages, pullImages } from "./docker-start.ts";
import { allServices } from "./types.ts";

export interface PullAheadOptions {
  log?: (line: string) => void;
  engine?: DockerEngine;
  engineAnswers?: () => Promise<boolean>;
}

/** Pulls the images the engine lacks (an image already here is not pulled again: each pull counts). Returns the exit code. */
export async function pullAhead({ log = console.log, engine = dockerCli(), engineAnswers = hasDockerEngine }: PullAheadOptions = {}): Promise<number> {
  if (!(await engineAnswers())) {
    log("No Docker engine answers, so there is nothing to pull.");
    log("  → start Docker Desktop (or Colima, Rancher Desktop, Podman) and run again; `npm run doctor` finds an engine the kit does not see");
    log("  → or take the native path, which needs no images: Java 17+ and Maven");
    return 1;
  }
  const images = composeImages(allServices);
  log(`The workshop's images: ${images.join(", ")}`);
  await pullImages(engine, images, { log });
  log("\nAll set: on the day, `npm run services` starts them without downloading anything.");
  return 0;
}
