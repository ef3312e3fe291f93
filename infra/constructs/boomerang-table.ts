import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/**
 * The shape of infra/table.ts's `tableDefinition`, widened so that an index added later with
 * another projection (KEYS_ONLY, INCLUDE) or no sort key needs no change here.
 * All key attributes are strings, as in the local table.
 */
export interface TableSpec {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  stream: keyof typeof dynamodb.StreamViewType;
  globalSecondaryIndexes: readonly {
    indexName: string;
    partitionKey: string;
    sortKey?: string;
    projection: keyof typeof dynamodb.ProjectionType;
    nonKeyAttributes?: readonly string[];
  }[];
}

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The single table, built from the same definition the local launcher uses. It holds every
 * shop's data, so it survives stack deletion and cannot be deleted by accident.
 */
export class BoomerangTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, spec: TableSpec) {
    super(scope, id, {
      partitionKey: stringKey(spec.partitionKey),
      sortKey: stringKey(spec.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[spec.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of spec.globalSecondaryIndexes) {
      this.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: stringKey(gsi.partitionKey),
        sortKey: gsi.sortKey === undefined ? undefined : stringKey(gsi.sortKey),
        projectionType: dynamodb.ProjectionType[gsi.projection],
        nonKeyAttributes: gsi.nonKeyAttributes ? [...gsi.nonKeyAttributes] : undefined,
      });
    }
  }
}
