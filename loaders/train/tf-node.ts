/**
 * TensorFlow.js in Node on the wasm backend — checked, not assumed (a failed
 * initialisation silently leaves tfjs on the slow cpu backend) — and the
 * standard model.json + weights.bin format written to and read from disk
 * without tfjs-node.
 */
import * as tf from "@tensorflow/tfjs";
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import {createRequire} from "node:module";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";

let ready: Promise<string> | null = null;

/** Initialises the wasm backend once; throws if tfjs ends up on anything else. */
export function useWasmBackend(): Promise<string> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    const ok = await tf.setBackend("wasm");
    await tf.ready();
    if (!ok || tf.getBackend() !== "wasm")
      throw new Error(
        `tfjs could not start its wasm backend (now on "${tf.getBackend()}"): refusing to train on another backend, whose weights would differ`,
      );
    return tf.getBackend();
  })();
  return ready;
}

/** Saves a model as dir/model.json + dir/weights.bin (the format tf.loadLayersModel reads by URL). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, {recursive: true});
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(dir, "weights.bin"), Buffer.from(weightData));
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{paths: ["weights.bin"], weights: artifacts.weightSpecs}],
      };
      writeFileSync(join(dir, "model.json"), JSON.stringify(json));
      return {modelArtifactsInfo: {dateSaved: new Date(0), modelTopologyType: "JSON", weightDataBytes: weightData.byteLength}};
    }),
  );
}

/** Loads dir/model.json + weights.bin from disk. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
  const bin = readFileSync(join(dir, "weights.bin"));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData}),
  );
}

export {tf};
