/**
 * Step 00 — hello: one write and one read on each service the workshop uses.
 *
 * Nothing clever happens here. If these three functions work on your machine, every
 * later step will find its services, and any failure you meet afterwards is about the
 * architecture, not about your set-up.
 */
import type pg from "pg";
import type { RedisClientType } from "redis";
import type { Consumer, Producer } from "#kit/kafka";
import { todo } from "#kit/todo";

/** Given: the table Task 1 writes to. */
export async function createGreetingsTable(db: pg.Pool): Promise<void> {
  await db.query("CREATE TABLE IF NOT EXISTS greetings (id SERIAL PRIMARY KEY, text TEXT NOT NULL)");
}

/**
 * Task 1 — write a row to Postgres and read it back.
 * Insert `greeting` into `greetings`, then SELECT that row and return its text.
 */
export async function greetPostgres(db: pg.Pool, greeting: string): Promise<string> {
  return todo("Task 1 — insert the greeting into `greetings`, then select it back and return its text");
}

/**
 * Task 2 — set a key in Redis and get it back.
 * SET `key` to `greeting`, then GET it and return what Redis answers.
 */
export async function greetRedis(redis: RedisClientType, key: string, greeting: string): Promise<string | null> {
  return todo("Task 2 — SET the key to the greeting, then GET it and return the answer");
}

/** What Task 3 works with: a connected producer, a consumer not yet connected, and a fresh topic. */
export interface KafkaHello {
  producer: Producer;
  consumer: Consumer;
  topic: string;
}

/**
 * Task 3 — produce a message to Kafka and consume it.
 * Send `greeting` to `topic`, then connect the consumer, subscribe to the topic from the
 * beginning and return the value of the first message it receives.
 * Whoever passed in the producer and the consumer disconnects them: not your job here.
 */
export async function greetKafka({ producer, consumer, topic }: KafkaHello, greeting: string): Promise<string> {
  return todo("Task 3 — send the greeting to the topic, then consume it from the beginning and return its value");
}
