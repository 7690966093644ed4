import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const onlyMainLoadsElectron = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' };

/**
 * Which way imports may point. protocol/ holds every contract and imports no side;
 * common/ holds the Node helpers two sides share; each side reaches the others only
 * through them. `from` folders may not import anything under the listed folders.
 */
const boundaries = [
  { from: 'protocol', forbidden: ['electron', 'server', 'renderer', 'drivers', 'common'], why: 'protocol/ is the contract every side imports; it imports none of them' },
  { from: 'common', forbidden: ['electron', 'server', 'renderer', 'drivers'], why: 'common/ is shared by the kiosk and the platform; it imports neither' },
  { from: 'renderer', forbidden: ['server', 'drivers', 'electron'], why: 'the screens reach services through protocol/ (the bridge and the platform HTTP shapes), never their code' },
  { from: 'server', forbidden: ['electron', 'renderer', 'drivers'], why: 'the platform shares only protocol/ and common/ with terminals' },
  {
    from: 'drivers',
    forbidden: ['electron', 'server', 'renderer', 'protocol', 'common', 'models', 'config'],
    why: 'a driver knows only its own transport types (drivers/transport/)',
  },
];

const boundaryRule = ({ forbidden, why }, allow = []) => [
  'error',
  {
    paths: [onlyMainLoadsElectron],
    patterns: [{ group: [...forbidden.map((dir) => `**/${dir}/**`), ...allow.map((path) => `!**/${path}`)], message: `${why}.` }],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-artifacts/**', 'models/cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-restricted-imports': ['error', { paths: [onlyMainLoadsElectron] }],
    },
  },
  ...boundaries.map((b) => ({ files: [`${b.from}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': boundaryRule(b) } })),
  {
    // Every driver may use the one retry helper: pure arithmetic and timers, no side's code.
    files: ['drivers/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': boundaryRule(boundaries.find((b) => b.from === 'drivers'), ['common/retry.ts']) },
  },
  {
    // The supervisor (manager, its adapters, the simulators it is given) is where a kiosk's
    // configuration becomes devices, so it reads the device schema.
    files: ['drivers/manager.ts', 'drivers/adapters/*.ts', 'drivers/simulated.ts'],
    rules: { 'no-restricted-imports': boundaryRule(boundaries.find((b) => b.from === 'drivers'), ['config/schema.ts', 'common/retry.ts']) },
  },
  {
    // contract.ts gathers the domains: a domain importing it back makes a cycle in which
    // whichever module a process loads first sees the other half-built (a domain loaded
    // first left contract.ts reading its methods before they existed).
    files: ['protocol/ui/domains/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [onlyMainLoadsElectron],
          patterns: [
            { group: boundaries.find((b) => b.from === 'protocol').forbidden.map((dir) => `**/${dir}/**`), message: `${boundaries.find((b) => b.from === 'protocol').why}.` },
            { group: ['../contract.ts', '**/ui/contract.ts'], message: 'a domain declares its methods with ../method.ts; contract.ts imports the domains, not the other way round.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
