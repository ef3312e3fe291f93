import { Duration, Fn } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import type { BoomerangHttpApi } from './http-api';

export interface ConsoleDistributionProps {
  api: BoomerangHttpApi;
}

/**
 * CloudFront in front of the HTTP API, so the console (`/console`) and the API it calls share one
 * origin: the session cookie (`SameSite=Strict`) then works without CORS (docs/console.md).
 *
 * - Everything is passed through uncached: every method, every cookie and query string, and every
 *   viewer header but `Host` (API Gateway answers only to its own host name), which includes
 *   `authorization`, `x-csrf-token`, `content-type`, `idempotency-key` and `if-none-match`.
 *   With caching disabled CloudFront allows `authorization` in an origin request policy.
 * - Only `/console/assets/*` is cached: hashed, immutable files, keyed by path and encoding.
 */
export class ConsoleDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<id>.cloudfront.net/console`. */
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleDistributionProps) {
    super(scope, id);
    // apiEndpoint is `https://<api-id>.execute-api.<region>.amazonaws.com`: its host is the third part.
    const apiHost = Fn.select(2, Fn.split('/', props.api.endpoint));
    const origin = new origins.HttpOrigin(apiHost, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // API Gateway's own limit is 30 s; the longest admin routes (imports) take up to 29 s.
      readTimeout: Duration.seconds(30),
    });
    const assets = new cloudfront.CachePolicy(this, 'AssetsCache', {
      comment: 'Boomerang console: hashed, immutable files',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Boomerang console and API on one origin',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: {
        '/console/assets/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: assets,
          compress: true,
        },
      },
    });
    this.consoleUrl = `https://${this.distribution.distributionDomainName}/console`;
  }
}
