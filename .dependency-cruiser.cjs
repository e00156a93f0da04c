// `npm run lint` checks Helix's layering with dependency-cruiser: imports run downward only,
//   platform (with config) ← wecom ← modules ← bots ← app,
// and nothing imports in a circle. Tests, scripts and benches may import any layer.
const LOWER_THAN = {
  platform: '^src/(wecom|modules|app)/|^bots/',
  wecom: '^src/(modules|app)/|^bots/',
  modules: '^src/app/|^bots/',
  bots: '^src/app/',
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes load order fragile and the layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-upward',
      comment: 'platform/ and config are the bottom layer: they may not import wecom, modules, bots or app.',
      severity: 'error',
      from: { path: '^src/(platform/|config[^/]*\\.ts$)' },
      to: { path: LOWER_THAN.platform },
    },
    {
      name: 'wecom-imports-upward',
      comment: 'wecom/ (protocol, client, emulator) may import only platform and config.',
      severity: 'error',
      from: { path: '^src/wecom/' },
      to: { path: LOWER_THAN.wecom },
    },
    {
      name: 'modules-import-upward',
      comment: 'modules/ may not import bots or the composition roots in app/.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: LOWER_THAN.modules },
    },
    {
      name: 'bots-import-upward',
      comment: 'bots/ are built on module services; only app/ wires them.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: LOWER_THAN.bots },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
