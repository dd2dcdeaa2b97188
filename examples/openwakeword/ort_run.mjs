// Runs one ONNX model with ONNX Runtime (onnxruntime-node) on a batch of
// inputs, one sample per call, as openWakeWord's browser engine does. The
// reference half of oww.py's "qnn fp32 == ORT" comparison.
//
//   node ort_run.mjs model.onnx in.f32 out.f32 d1,d2,...
//
// in.f32 holds N samples of the model's input shape [d1, d2, ...] (raw
// little-endian float32, C order); out.f32 receives the N outputs of the
// model's first output, concatenated. NODE_PATH must reach onnxruntime-node
// (oww.py installs it into its cache directory).

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const [modelPath, inPath, outPath, shapeSpec] = process.argv.slice(2);
if (!shapeSpec) {
  console.error('usage: node ort_run.mjs model.onnx in.f32 out.f32 d1,d2,...');
  process.exit(2);
}
const shape = shapeSpec.split(',').map(Number);
const sampleSize = shape.reduce((a, b) => a * b, 1);
const bytes = fs.readFileSync(inPath);
const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
if (all.length % sampleSize !== 0) {
  console.error(`${inPath}: ${all.length} floats is not a multiple of ${sampleSize}`);
  process.exit(1);
}

const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
});
const inputName = session.inputNames[0];
const outputName = session.outputNames[0];
const outputs = [];
for (let i = 0; i < all.length / sampleSize; i++) {
  const sample = all.slice(i * sampleSize, (i + 1) * sampleSize);
  const result = await session.run({ [inputName]: new ort.Tensor('float32', sample, shape) });
  const data = result[outputName].data;
  outputs.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}
fs.writeFileSync(outPath, Buffer.concat(outputs));
