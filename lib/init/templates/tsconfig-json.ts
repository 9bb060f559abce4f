/**
 * `tsconfig.json`: what README "Validation" says editors and CI need to check a stack against
 * kite's published declarations (strict, bundler resolution); `kite validate` uses it too.
 */
export const TSCONFIG_JSON = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'preserve',
      moduleResolution: 'bundler',
      strict: true,
      noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['**/*.ts'],
  },
  null,
  2,
)}\n`;
