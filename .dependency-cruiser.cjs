/* global module */
/**
 * Which layer may import which (README, Architecture). `npm run lint:deps` checks it (part of
 * `npm test`); type-only imports count too.
 *
 *   shared/domain, shared/schemas   pure rules and data shapes: import only each other
 *   shared/app                      use cases and their ports (shared/app/ports): domain, schemas, app
 *   shared/adapters                 implement the ports: ports, domain, schemas, other adapters
 *   shared/wiring                   builds adapters and hands them to use cases: anything in shared
 *   shared/http                     handler plumbing: anything in shared
 *   functions/                      wiring, app, http, domain, schemas
 *   web/widget/                     the storefront widget (browser): web/widget/ and shared/schemas/storefront.ts
 *   web/console/                    the console (browser): web/console/, the program schema, earning rule, roles
 *   cli/                            `npx boomerang` (an HTTP client of the API): cli/, shared/schemas, shared/domain
 *
 * Nothing in shared imports functions/, local/, infra/, test/, bench/ or cli/, and no module imports
 * itself through others (no cycles).
 */
const outsideShared = '^(functions|local|infra|test|bench|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides need to where both can import it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'shared/domain and shared/schemas import only each other (and node: builtins, zod).',
      from: { path: '^shared/(domain|schemas)/' },
      to: { path: ['^shared/(app|adapters|wiring|http)/', outsideShared] },
    },
    {
      name: 'app-uses-ports-not-adapters',
      severity: 'error',
      comment: 'Use cases depend on ports (shared/app/ports), never on adapters, wiring or http, not even for a type.',
      from: { path: '^shared/app/' },
      to: { path: ['^shared/(adapters|wiring|http)/', outsideShared] },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment: 'Adapters import ports, domain, schemas and other adapters: no use case, no wiring, no http.',
      from: { path: '^shared/adapters/' },
      to: { path: ['^shared/(wiring|http)/', '^shared/app/(?!ports/)', outsideShared] },
    },
    {
      name: 'shared-stays-inside',
      severity: 'error',
      comment: 'Nothing in shared imports functions/, local/, infra/, test/, bench/ or cli/.',
      from: { path: '^shared/' },
      to: { path: outsideShared },
    },
    {
      name: 'widget-stays-in-the-browser',
      severity: 'error',
      comment:
        'web/ (the storefront widget) imports web/, the storefront contract types, the pure palette rule and the ISO 4217 exponents, nothing else of ours.',
      from: { path: '^web/widget/' },
      to: {
        path: ['^(shared|functions|local|infra|test|bench|web/console)/'],
        pathNot: [
          '^shared/schemas/storefront\\.ts$',
          '^shared/domain/storefront/palette\\.ts$',
          '^shared/domain/money/exponents\\.ts$',
        ],
      },
    },
    {
      name: 'console-stays-in-the-browser',
      severity: 'error',
      comment:
        "web/console/ imports web/console/ and, of the server, only the program schema and the pure earning rule (the editor checks and previews with the API's own code), the roles table and the ISO 4217 exponents (and what those import).",
      from: { path: '^web/console/' },
      to: {
        path: ['^(shared|functions|local|infra|test|bench|cli|web/widget)/'],
        pathNot: [
          '^shared/schemas/(program|order)\\.ts$',
          '^shared/domain/console/roles\\.ts$',
          '^shared/domain/ledger/earning\\.ts$',
          '^shared/domain/money/(exponents|currencies)\\.ts$',
        ],
      },
    },
    {
      name: 'cli-talks-http',
      severity: 'error',
      comment:
        'cli/ reaches Boomerang over HTTP only: it imports cli/ and the pure shared/schemas and shared/domain (the program schema, webhook signatures), never use cases, adapters or handlers.',
      from: { path: '^cli/' },
      to: { path: ['^shared/(app|adapters|wiring|http)/', '^(functions|local|infra|test|bench|web)/'] },
    },
    {
      name: 'functions-go-through-wiring',
      severity: 'error',
      comment: 'Handlers get adapters from shared/wiring; they import wiring, app, http, domain and schemas.',
      from: { path: '^functions/' },
      to: { path: ['^shared/adapters/', '^(local|infra|test|bench)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|\\.data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
