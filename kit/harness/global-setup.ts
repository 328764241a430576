/**
 * Runs once before the tests: finds or starts Postgres, Redis and Kafka (in the order of the
 * root README's "How the kit finds the services") and hands their addresses to the tests (`services()` in #kit/testing).
 * Services stay up afterwards, so the next run (and watch mode) starts instantly.
 */
import type { TestProject } from "vitest/node";
import { ensureServices, type ServiceUrls } from "../services/index.ts";

export default async function setup(project: TestProject): Promise<void> {
  // The kit's commands find the services before they start vitest, and hand them over in
  // KIT_SERVICES, so they are not probed twice; a plain `vitest` run finds them here.
  const handedOver = process.env.KIT_SERVICES;
  const urls = handedOver ? (JSON.parse(handedOver) as ServiceUrls) : (await ensureServices()).urls;
  project.provide("services", urls);
}
