import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The key prefixes the nightly job writes under, and how long objects there live:
 * `jobs/<shopId>/<jobId>/…` holds one run's intermediate data (summaries, fitted parameters,
 * scored shards) and is only needed while the run lasts; `exports/<shopId>/<asOf>/…` holds the
 * finished segment exports marketers download.
 */
export const exportBucketPrefixes = [
  { id: 'JobScratch', prefix: 'jobs/', expireAfterDays: 7 },
  // 30 days: a redacted customer's e-mail in past exports is gone within Shopify's 30-day redaction window.
  { id: 'Exports', prefix: 'exports/', expireAfterDays: 30 },
] as const;

/**
 * Private S3 bucket for the nightly job's intermediate data and finished exports. Nothing in
 * it is public: reads go through the functions (or URLs they sign), and requests without TLS
 * are denied. Exports are customer data the shop may still need, so the bucket survives stack
 * deletion; the lifecycle rules keep it from growing without bound.
 */
export class ExportBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Every object is rewritten whole by a later run or expires; old versions would only
      // keep expired customer data around.
      versioned: false,
      lifecycleRules: [
        ...exportBucketPrefixes.map((p) => ({
          id: p.id,
          prefix: p.prefix,
          expiration: Duration.days(p.expireAfterDays),
        })),
        // A worker killed mid-upload leaves parts that are billed but invisible.
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  get bucketName(): string {
    return this.bucket.bucketName;
  }
}
