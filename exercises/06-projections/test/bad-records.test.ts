/**
 * Anything may land on the events topic. A record that is not an event — or an event the
 * read models cannot take, money for an account never opened — is kept with the reason and
 * its position, counted, and passed: the partition behind it keeps moving, and every event
 * around it is applied once.
 */
import { applyOnce } from "../src/apply.ts";
import { envelop } from "../src/envelope.ts";
import { balanceOf } from "../src/queries.ts";
import { appliedThrough, rejectedRecords } from "../src/read-models.ts";
import { describe, expect, proves, task } from "#kit/testing";
import { append, deposited, opened, startProjection, test, withdrawn } from "./helpers.ts";

describe(task(1, "apply each batch once"), () => {
  test(
    "GIVEN four records that are not events and a deposit for bob, who was never opened, among alice's three events WHEN the projection reads them THEN alice's three events are applied, the five others are kept with their reasons, and the partition is applied to its end",
    proves("downstream-sees-every-change", "idempotent projection (position in the same transaction)", "holds"),
    async ({ db, kafka, stopWhenDone }) => {
      const topic = await kafka.topic("wallet.events");
      const producer = await kafka.producer();
      const raw = (value: string) => producer.send({ topic, acks: -1, messages: [{ key: "alice", value }] });
      const [valid] = envelop([deposited("alice", 10)], { accountId: "alice", causationId: "c-bad" });
      const projection = await startProjection({ db, kafka, stopWhenDone }, { topic, apply: applyOnce });

      await append(producer, topic, opened("alice"));
      await raw('{"type":"MoneyDeposited","data":');
      await raw(JSON.stringify({ ...valid, type: "MoneyTeleported" }));
      await raw(JSON.stringify({ ...valid, data: { accountId: "alice", amount: -10 } }));
      await append(producer, topic, deposited("alice", 100));
      await raw(JSON.stringify({ ...valid, metadata: { ...valid!.metadata, schemaVersion: 2 } }));
      await append(producer, topic, deposited("bob", 40));
      await append(producer, topic, withdrawn("alice", 30));

      const { appliedCount, rejectedCount } = await projection.until(async () => {
        expect(await appliedThrough(db.pool, 0)).toBe(7);
        // Eight records in: none lost.
        expect(projection.projection.appliedCount + projection.projection.rejectedCount).toBe(8);
        return projection.projection;
      }, "the projection to reach the end of the partition");

      expect(await balanceOf(db.pool, "alice")).toBe(70);
      const rejected = await rejectedRecords(db.pool);
      expect(rejected.map((record) => [record.position.offset, record.reason])).toEqual([
        [1, expect.stringMatching(/not JSON/)],
        [2, expect.stringMatching(/unknown event type "MoneyTeleported"/)],
        [3, expect.stringMatching(/more than zero/)],
        [5, expect.stringMatching(/unsupported schema version 2/)],
        [6, 'MoneyDeposited for account "bob", which was never opened'],
      ]);
      expect(rejected[0]?.raw).toBe('{"type":"MoneyDeposited","data":');
      expect(await balanceOf(db.pool, "bob")).toBeUndefined();
      // Three applied, five kept aside; none counted twice.
      expect([appliedCount, rejectedCount]).toEqual([3, 5]);
    },
  );
});
