/**
 * What a function's bundle gets in place of an AWS SDK client that infra/functions.ts does not
 * grant it (esbuild aliases, see granted-clients.ts): the same names, none of the SDK. Shared
 * code can reach such a client on a path the function never takes in AWS — the nightly
 * function's in-process run sends e-mail, but only local runs (no state machine) take it.
 * Building a client is harmless; using one fails, as the missing IAM grant would, but saying why.
 *
 * A build that imports a name missing here fails ("No matching export"): add it.
 */
const notGranted = (service: string): Error =>
  new Error(`${service} is not granted to this function in infra/functions.ts, so its client is not bundled`);

const client = (service: string) => class {
  constructor(_config?: unknown) {}
  async send(_command: unknown): Promise<never> {
    throw notGranted(service);
  }
  destroy(): void {}
};

const command = () => class {
  constructor(readonly input: unknown) {}
};

// @aws-sdk/client-s3 and @aws-sdk/s3-request-presigner
export const S3Client = client('S3');
export const GetObjectCommand = command();
export const PutObjectCommand = command();
export const DeleteObjectsCommand = command();
export class NoSuchKey extends Error {}
export const paginateListObjectsV2 = (): AsyncIterable<never> => ({
  [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(notGranted('S3')) }),
});
export const getSignedUrl = async (): Promise<never> => {
  throw notGranted('S3');
};

// @aws-sdk/client-sesv2
export const SESv2Client = client('SES');
export const SendEmailCommand = command();

// @aws-sdk/client-sfn
export const SFNClient = client('Step Functions');
export const StartExecutionCommand = command();

// @aws-sdk/client-sqs
export const SQSClient = client('SQS');
export const SendMessageCommand = command();

// @aws-sdk/client-secrets-manager
export const SecretsManagerClient = client('Secrets Manager');
export const GetSecretValueCommand = command();
