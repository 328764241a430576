/**
 * Was the replay topic replaced while a rebuild read it? `npm run seed -- --fresh` deletes and
 * recreates it, and a rebuild reading it then fails deep inside kafkajs (an unknown partition,
 * an offset out of range). The rebuild compares what it saw at the start with what is there now,
 * and says what happened instead of printing kafkajs's stack.
 */
export interface PartitionEnd {
  partition: number;
  high: string;
  low: string;
}

/**
 * A log only grows: if the topic is gone, its partitions changed, or any partition now ends
 * before where it ended at the start (or starts after), it is not the topic the rebuild began with.
 */
export function wasReplaced(atStart: PartitionEnd[], now: PartitionEnd[] | undefined): boolean {
  if (now === undefined || now.length !== atStart.length) return true;
  return atStart.some((start) => {
    const current = now.find((end) => end.partition === start.partition);
    return current === undefined || BigInt(current.high) < BigInt(start.high) || BigInt(current.low) > BigInt(start.high);
  });
}

/** kafkajs's words for "that topic or offset is not there any more". */
export function isTopicGoneError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${(error as { type?: string }).type ?? ""}` : String(error);
  return /UNKNOWN_TOPIC|does not host this topic-partition|OFFSET_OUT_OF_RANGE|out of range|topic.*(deleted|not found)/i.test(text);
}

export function replacedMessage(topic: string): string {
  return `The topic ${topic} was deleted or recreated while the rebuild read it (did npm run seed -- --fresh run meanwhile?), so what was built is dropped.\n` +
    "  → wait for the seed to finish, then run npm run rebuild again: it replays the new log from the start";
}
