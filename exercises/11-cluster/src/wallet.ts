/**
 * Given: the wallet on the cluster — step 05's idea in a few lines, to see that its invariants
 * survive a broker's death. Commands (keyed by account) are consumed by one processor in a
 * consumer group; each command is decided on the account's balance and answered by exactly one
 * event on the events topic: MoneyDeposited, MoneyWithdrawn, or WithdrawalRefused when the
 * balance is too low. The processor remembers which commands it applied, so a command delivered
 * again (its offset not yet committed when the group moved to a new coordinator) is not applied twice.
 */
import { defaultProducerConfig, type Consumer, type Kafka, type Producer } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";

export interface WalletCommand {
  commandId: string;
  accountId: string;
  type: "Deposit" | "Withdraw";
  amount: number;
}

export interface WalletEvent {
  commandId: string;
  accountId: string;
  type: "MoneyDeposited" | "MoneyWithdrawn" | "WithdrawalRefused";
  amount: number;
  /** The balance after the event. */
  balance: number;
}

/** The decision, as a pure function: what one command does to a balance. */
export function decide(command: WalletCommand, balance: number): WalletEvent {
  const { commandId, accountId, amount } = command;
  if (command.type === "Deposit") return { commandId, accountId, type: "MoneyDeposited", amount, balance: balance + amount };
  if (amount > balance) return { commandId, accountId, type: "WithdrawalRefused", amount, balance };
  return { commandId, accountId, type: "MoneyWithdrawn", amount, balance: balance - amount };
}

export interface WalletProcessorOptions {
  kafka: Kafka;
  commandsTopic: string;
  eventsTopic: string;
  groupId: string;
  /** "after-append": an event is on the log, acknowledged by the in-sync replicas. */
  points?: FailpointHook;
}

export class WalletProcessor {
  readonly #balances = new Map<string, number>();
  readonly #applied = new Set<string>();
  readonly #consumer: Consumer;
  readonly #producer: Producer;
  readonly #options: WalletProcessorOptions;
  /** Commands delivered again and recognised as already applied. */
  redelivered = 0;

  constructor(options: WalletProcessorOptions) {
    this.#options = options;
    this.#consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
    // Idempotent, acks -1 (kafkajs's default for send): the durable writer of Task 1.
    this.#producer = options.kafka.producer({ ...defaultProducerConfig, idempotent: true, maxInFlightRequests: 1 });
  }

  async start(): Promise<void> {
    await this.#producer.connect();
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#options.commandsTopic, fromBeginning: true });
    await this.#consumer.run({
      // An event is appended before its command's offset is committed: a crash in between
      // delivers the command again, and #applied recognises it.
      eachMessage: async ({ message }) => {
        const command = JSON.parse(message.value?.toString() ?? "") as WalletCommand;
        if (this.#applied.has(command.commandId)) {
          this.redelivered++;
          return;
        }
        const event = decide(command, this.#balances.get(command.accountId) ?? 0);
        await this.#producer.send({ topic: this.#options.eventsTopic, acks: -1, messages: [{ key: event.accountId, value: JSON.stringify(event) }] });
        this.#balances.set(event.accountId, event.balance);
        this.#applied.add(command.commandId);
        await (this.#options.points ?? noFailpoints).reach("after-append");
      },
    });
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#consumer.disconnect(), this.#producer.disconnect()]);
  }
}
