import { beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../infra/schedules';
import { routes } from '../../infra/routes';
import { actionsOf, logicalId, statementsOf, synthStack } from './template';

/** The surveys function (docs/surveys.md): its hourly feedback-alert schedule, its routes, SES to send alerts. */
describe('surveys in the stack', () => {
  let s: ReturnType<typeof synthStack>;
  beforeAll(() => {
    s = synthStack();
  }, 60_000);

  it('runs the feedback alerts every hour', () => {
    expect(schedules.find((d) => d.name === 'feedback-alerts')).toMatchObject({
      fn: 'surveys',
      expression: 'rate(1 hour)',
    });
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(s.stack, s.stack.functions.surveys.fn), 'Arn'] },
        Input: JSON.stringify({ job: 'feedback-alerts' }),
      },
    });
  });

  it('serves the survey page and the job route', () => {
    expect(routes.filter((r) => r.fn === 'surveys').map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /survey/{shopId}',
      'POST /survey/{shopId}',
      'POST /admin/shops/{shopId}/jobs/feedback-alerts',
    ]);
  });

  it('may send e-mail through SES', () => {
    const role = logicalId(s.stack, s.stack.functions.surveys.fn.role!);
    expect(actionsOf(statementsOf(s.resources, role)).some((a) => a.startsWith('ses:Send'))).toBe(true);
  });
});
