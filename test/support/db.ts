import { createDocumentClient } from '../../shared/adapters/dynamo';

let client: ReturnType<typeof createDocumentClient> | undefined;

/**
 * The SDK's document client on the test table's DynamoDB (from the environment the test stack
 * set), for tests that seed or inspect items directly. The handlers themselves go through the
 * runtime's Table (the small HTTP client Lambda runs).
 */
export const testDb = () => (client ??= createDocumentClient());
