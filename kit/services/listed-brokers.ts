/**
 * Which brokers a Kafka broker lists as alive, asked with one Metadata request (version 4) for
 * no topic at all, written by hand on a socket.
 *
 * Why not kafkajs: it encodes "no topics" as null, which Kafka reads as "every topic", and it
 * throws LEADER_NOT_AVAILABLE for the whole answer when any partition of any topic has no
 * leader. Step 11 leaves such a partition on purpose (a wiped disk), and a kafkajs client then
 * could not even count the brokers: the cluster looked like "0 of 3 brokers" to every test.
 */
import net from "node:net";

const metadataApiKey = 3;
const metadataVersion = 4;
const clientId = "es-workshop-cluster-probe";

/** The node ids of the live (unfenced) brokers, as the broker at host:port knows them. */
export function listedBrokers(host: string, port: number, timeoutMs = 4_000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`${host}:${port} did not answer a Metadata request within ${timeoutMs} ms`)));
    socket.on("error", fail);
    socket.on("connect", () => socket.write(metadataRequest()));
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.destroy();
      try {
        resolve(brokerIds(received.subarray(4, 4 + received.readInt32BE(0))));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function metadataRequest(): Buffer {
  const id = Buffer.from(clientId, "utf8");
  const body = Buffer.alloc(2 + 2 + 4 + 2 + id.length + 4 + 1);
  let at = body.writeInt16BE(metadataApiKey, 0);
  at = body.writeInt16BE(metadataVersion, at);
  at = body.writeInt32BE(1, at); // correlation id: one request per connection
  at = body.writeInt16BE(id.length, at);
  at += id.copy(body, at);
  at = body.writeInt32BE(0, at); // an empty list of topics (not null: null means every topic)
  body.writeInt8(0, at); // allow_auto_topic_creation: false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Metadata response v4: correlation id, throttle time, then [node_id host port rack]. */
function brokerIds(response: Buffer): number[] {
  let at = 8; // correlation id, throttle_time_ms
  const count = response.readInt32BE(at);
  at += 4;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(response.readInt32BE(at));
    at += 4;
    at += 2 + response.readInt16BE(at); // host
    at += 4; // port
    const rack = response.readInt16BE(at);
    at += 2 + Math.max(rack, 0); // rack: -1 when null
  }
  return ids.sort((a, b) => a - b);
}
