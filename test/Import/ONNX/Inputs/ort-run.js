// Runs an ONNX model with ONNX Runtime (onnxruntime-node, from npm) on one
// float32 input read from a raw little-endian file; writes output 0 the same
// way. Used by qat.py when QNN_ONNXRUNTIME_NODE names the directory holding
// node_modules/onnxruntime-node.
//   node ort-run.js model.onnx input.bin 8x1x12x12 output.bin
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [model, input, shape, output] = process.argv.slice(2);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const session = await ort.InferenceSession.create(model);
  const feeds = {};
  feeds[session.inputNames[0]] = new ort.Tensor('float32', data, shape.split('x').map(Number));
  const result = await session.run(feeds);
  const y = result[session.outputNames[0]];
  fs.writeFileSync(output, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
  console.log('ort', y.dims);
})();
