// A child process that runs one single-threaded ONNX encoder for a PassagePool: token ids in, unit vectors out.
// Plain JavaScript that registers tsx itself, so it starts the same way under npm start, the CLI and the tests.
import { register } from 'tsx/esm/api';

register();
const { openOnnxEncoder, encodeBatch } = await import('./onnx-encoder.ts');

let encoder;
process.on('message', async (message) => {
  try {
    if (message.type === 'open') {
      encoder = await openOnnxEncoder(message.file, 1, message.padId, message.pooling);
      process.send({ id: message.id });
    } else {
      process.send({ id: message.id, vectors: await encodeBatch(encoder, message.batch) });
    }
  } catch (error) {
    process.send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
// The parent exited or closed the pool: nothing left to do.
process.on('disconnect', () => process.exit(0));
