/**
 * What can be wrong with a record read from the log, as a type: a consumer that meets one
 * reports it with where it sits (topic, partition, offset) and goes on, instead of crashing
 * or stalling the partition behind it.
 */
export class MalformedRecord extends Error {
  override readonly name = "MalformedRecord";
  readonly code = "MALFORMED_RECORD";

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    /** What is wrong with it, in words: "value is not JSON". */
    readonly reason: string,
  ) {
    super(`record ${topic}[${partition}]@${offset} is malformed: ${reason}`);
  }
}
