/**
 * Bundled in place of the AWS SDK's profile, SSO, credential-process and web-identity
 * credential providers (esbuild aliases in infra/constructs/boomerang-function.ts). Those pull
 * in the STS, SSO and sign-in clients — about 100 KB of every bundle — to read credentials a
 * Lambda function never has: Lambda puts the function's role credentials in the environment,
 * where the SDK's default chain looks first. Should the chain ever get this far, each provider
 * declines and the chain moves on to the container and instance metadata providers.
 */
const notBundled = (source: string) => () => async (): Promise<never> => {
  throw Object.assign(new Error(`${source} credentials are not bundled into Lambda functions`), {
    name: 'CredentialsProviderError',
    tryNextLink: true,
  });
};

export const fromIni = notBundled('Shared config profile');
export const fromSSO = notBundled('SSO');
export const fromProcess = notBundled('Credential process');
export const fromTokenFile = notBundled('Web identity token');
