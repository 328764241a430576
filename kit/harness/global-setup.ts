/**
 * Runs once before the tests: finds or starts Postgres, Redis and Kafka (DESIGN.md §5)
 * and hands their addresses to the tests (`services()` in #kit/testing).
 * Services stay up afterwards, so the next run (and watch mode) starts instantly.
 */
import type { TestProject } from "vitest/node";
import { ensureServices } from "../services/index.ts";

export default async function setup(project: TestProject): Promise<void> {
  const { urls } = await ensureServices();
  project.provide("services", urls);
}
