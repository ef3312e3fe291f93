import { App } from 'aws-cdk-lib';
import { BoomerangStack } from './stack';

// Environment-agnostic on purpose: synth needs no credentials, and the account/region come
// from the deploying profile.
const app = new App();
new BoomerangStack(app, 'Boomerang', {
  description: 'Boomerang: serverless referral and rewards engine',
});
app.synth();
