// One timed upload: PUT a body over a fresh loopback connection and read the JSON answer.
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';

/**
 * PUTs `body` (from makeUploadBody) to `url` and resolves to the answer and the seconds from the
 * first byte sent to the whole answer received. Rejects on any status but 200.
 */
export async function putBody(url, body, headers = {}) {
  const started = performance.now();
  const outgoing = request(url, {
    method: 'PUT',
    agent: false,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.size), ...headers },
  });
  const answered = new Promise((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
  });
  const [response] = await Promise.all([answered, pipeline(body.stream(), outgoing)]);
  const chunks = [];
  for await (const chunk of response) chunks.push(chunk);
  const seconds = (performance.now() - started) / 1000;
  const text = Buffer.concat(chunks).toString('utf8');
  if (response.statusCode !== 200) throw new Error(`PUT ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return { answer: JSON.parse(text), seconds };
}
