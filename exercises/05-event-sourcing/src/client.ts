/**
 * Given: how a caller (an API handler, a test) talks to the processors — it sends a command
 * and awaits its result, matched by command id.
 *
 * Requests and replies both go through Kafka: the command to the commands topic, keyed by
 * account id (that key is what makes one processor own the account), and the result back
 * on the results topic, keyed by command id. The client reads every result and hands each
 * to whoever awaits that command id.
 */
import { randomUUID } from "node:crypto";
import { defaultProducerConfig, waitForGroupJoin, type Consumer, type Kafka, type Producer } from "#kit/kafka";
import type { WalletCommand } from "./domain.ts";
import { COMMAND_ID_HEADER, commandToJson, MalformedResult, parseResult, type CommandResult } from "./commands.ts";

/** No result came back in time: no processor is running, or it is stuck on an earlier command. */
export class NoResultInTime extends Error {
  override readonly name = "NoResultInTime";

  constructor(
    readonly commandId: string,
    timeoutMs: number,
  ) {
    super(`no result for command ${commandId} within ${timeoutMs} ms: is a processor running?`);
  }
}

export interface SendOptions {
  commandId?: string;
  correlationId?: string;
  timeoutMs?: number;
}

export class CommandClient {
  readonly #producer: Producer;
  readonly #consumer: Consumer;
  readonly #results = new Map<string, CommandResult[]>();
  readonly #waiters = new Map<string, (result: CommandResult) => void>();
  /** Records of the results topic that were not results. */
  readonly skipped: MalformedResult[] = [];

  constructor(
    kafka: Kafka,
    readonly topics: { commands: string; results: string },
    groupId: string,
  ) {
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  }

  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#consumer.connect()]);
    await this.#consumer.subscribe({ topic: this.topics.results, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    await this.#consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        let result: CommandResult;
        try {
          result = parseResult(message.value?.toString("utf8") ?? "");
        } catch (error) {
          if (!(error instanceof MalformedResult)) throw error;
          this.skipped.push(error);
          return;
        }
        this.#results.set(result.commandId, [...this.resultsFor(result.commandId), result]);
        this.#waiters.get(result.commandId)?.(result);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#consumer.disconnect(), this.#producer.disconnect()]);
  }

  /** Sends a command and resolves with its result: the events written, or the rejection. */
  send(command: WalletCommand, { commandId = randomUUID(), correlationId = commandId, timeoutMs }: SendOptions = {}): Promise<CommandResult> {
    return this.sendRaw(command.data.accountId, commandToJson(command, { commandId, correlationId }), { commandId, timeoutMs });
  }

  /** Sends any text as a command, as a careless or hostile caller might; the command id travels in a header too. */
  async sendRaw(key: string, value: string, { commandId = randomUUID(), timeoutMs = 20_000 }: { commandId?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
    const answered = this.#resultOf(commandId, timeoutMs);
    // The wait starts before the send, so a result can never arrive unheard; if it times out while the
    // send is still under way, that is not an unhandled rejection: the caller gets it below.
    answered.catch(() => {});
    await this.#producer.send({ topic: this.topics.commands, acks: -1, messages: [{ key, value, headers: { [COMMAND_ID_HEADER]: commandId } }] });
    return answered;
  }

  /** Every result received for a command id (one, unless a command was answered twice). */
  resultsFor(commandId: string): CommandResult[] {
    return this.#results.get(commandId) ?? [];
  }

  #resultOf(commandId: string, timeoutMs: number): Promise<CommandResult> {
    const known = this.resultsFor(commandId)[0];
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(commandId);
        reject(new NoResultInTime(commandId, timeoutMs));
      }, timeoutMs);
      this.#waiters.set(commandId, (result) => {
        clearTimeout(timer);
        this.#waiters.delete(commandId);
        resolve(result);
      });
    });
  }
}
