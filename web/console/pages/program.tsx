import { useMemo, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { ApiError, get, request, shopPath } from '../api';
import { ErrorNote, Field, Loading, Section, Status } from '../components';
import { money, num, toMinor } from '../format';
import { t, type Key } from '../i18n';
import { computeEarning } from '../../../shared/domain/ledger/earning';
import { activityLimits, earningSchema, emailTypes, rewardTypes, type Program } from '../../../shared/schemas/program';
import { diff, getAt, pathKey, serverIssues, setAt, validate, type Path } from '../program-model';
import { useLoad } from '../components';

type Draft = Record<string, unknown>;

interface Ctx {
  draft: Draft;
  issues: Map<string, string>;
  set: (path: Path, value: unknown) => void;
}

const NumberField = ({ ctx, path, label }: { ctx: Ctx; path: Path; label: string }) => {
  const v = getAt(ctx.draft, path);
  return (
    <Field label={label} error={ctx.issues.get(pathKey(path))}>
      {(p) => (
        <input
          {...p}
          name={pathKey(path)}
          inputMode="numeric"
          value={v === undefined || v === null ? '' : String(v)}
          onInput={(e) => {
            const raw = e.currentTarget.value.trim();
            // A number where it reads as one; otherwise the text itself, for zod to name the problem.
            ctx.set(path, raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
          }}
        />
      )}
    </Field>
  );
};

const TextField = ({ ctx, path, label }: { ctx: Ctx; path: Path; label: string }) => (
  <Field label={label} error={ctx.issues.get(pathKey(path))}>
    {(p) => (
      <input
        {...p}
        name={pathKey(path)}
        value={String(getAt(ctx.draft, path) ?? '')}
        onInput={(e) => ctx.set(path, e.currentTarget.value)}
      />
    )}
  </Field>
);

const SelectField = ({
  ctx,
  path,
  label,
  options,
}: {
  ctx: Ctx;
  path: Path;
  label: string;
  options: [string, string][];
}) => (
  <Field label={label} error={ctx.issues.get(pathKey(path))}>
    {(p) => (
      <select
        {...p}
        name={pathKey(path)}
        value={String(getAt(ctx.draft, path))}
        onChange={(e) => ctx.set(path, e.currentTarget.value)}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    )}
  </Field>
);

const Toggle = ({ ctx, path, label }: { ctx: Ctx; path: Path; label: string }) => (
  <label class="check">
    <input
      type="checkbox"
      name={pathKey(path)}
      checked={getAt(ctx.draft, path) === true}
      onChange={(e) => ctx.set(path, e.currentTarget.checked)}
    />
    {label}
  </label>
);

/** A field the program may leave out: emptied, the key goes (undefined), so zod sees "not set", not "". */
const OptionalField = ({
  ctx,
  path,
  label,
  numeric = false,
  placeholder,
}: {
  ctx: Ctx;
  path: Path;
  label: string;
  numeric?: boolean;
  placeholder?: string;
}) => {
  const v = getAt(ctx.draft, path);
  return (
    <Field label={label} error={ctx.issues.get(pathKey(path))}>
      {(p) => (
        <input
          {...p}
          name={pathKey(path)}
          {...(numeric ? { inputMode: 'numeric' as const } : {})}
          {...(placeholder ? { placeholder } : {})}
          value={v === undefined || v === null ? '' : String(v)}
          onInput={(e) => {
            const raw = e.currentTarget.value.trim();
            if (raw === '') ctx.set(path, undefined);
            else ctx.set(path, numeric && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
          }}
        />
      )}
    </Field>
  );
};

/**
 * The exclusive-reward fields of reward `i`: what it is, how many there are and who may have it.
 * Tier and plan choices come from the draft itself, so a tier renamed in this edit is offered at once.
 */
const RewardLimits = ({ ctx, i }: { ctx: Ctx; i: number }) => {
  const at = (...rest: Path): Path => ['rewards', i, ...rest];
  const type = getAt(ctx.draft, at('type'));
  const exclusive = type === 'product' || type === 'experience';
  const ids = (path: Path) =>
    ((getAt(ctx.draft, path) as { id?: unknown; name?: unknown }[] | undefined) ?? []).map((x): [string, string] => [
      String(x.id ?? ''),
      String(x.name || x.id || ''),
    ]);
  const choice = (path: Path, label: string, options: [string, string][]) => (
    <Field label={label} error={ctx.issues.get(pathKey(path))}>
      {(p) => (
        <select
          {...p}
          name={pathKey(path)}
          value={String(getAt(ctx.draft, path) ?? '')}
          onChange={(e) => ctx.set(path, e.currentTarget.value || undefined)}
        >
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <div class="row">
        <OptionalField ctx={ctx} path={at('description')} label={t('rewardDescription')} />
        {exclusive && type === 'product' ? (
          <>
            <OptionalField ctx={ctx} path={at('productId')} label={t('rewardProductId')} />
            <OptionalField ctx={ctx} path={at('sku')} label={t('rewardSku')} />
          </>
        ) : null}
        {type === 'experience' ? (
          <OptionalField
            ctx={ctx}
            path={at('startsAt')}
            label={t('rewardStartsAt')}
            placeholder="2026-12-24T18:00:00+01:00"
          />
        ) : null}
      </div>
      <div class="row">
        <OptionalField ctx={ctx} path={at('stock')} label={t('rewardStock')} numeric />
        <OptionalField ctx={ctx} path={at('perCustomerLimit')} label={t('rewardPerCustomer')} numeric />
        {choice(at('requires', 'tier'), t('rewardRequiresTier'), [
          ['', t('rewardRequiresNone')],
          ...ids(['tiers', 'levels']),
        ])}
        {choice(at('requires', 'membership'), t('rewardRequiresMembership'), [
          ['', t('rewardRequiresNone')],
          ['any', t('rewardRequiresAnyPlan')],
          ...ids(['membership', 'plans']),
        ])}
      </div>
    </>
  );
};

const opts = (prefix: string, values: readonly string[]): [string, string][] =>
  values.map((v) => [v, t(`${prefix}.${v}` as Key)]);

/** The button that appends `item` to the list at `path`. */
const AddItem = (p: {
  ctx: Ctx;
  path: Path;
  list: readonly unknown[];
  item: unknown;
  label: string;
  dataKey?: string;
}) => (
  <button type="button" class="secondary" data-key={p.dataKey} onClick={() => p.ctx.set(p.path, [...p.list, p.item])}>
    {p.label}
  </button>
);

/** The button that takes item `i` out of the list at `path`. */
const RemoveItem = ({ ctx, path, list, i }: { ctx: Ctx; path: Path; list: readonly unknown[]; i: number }) => (
  <button
    type="button"
    class="secondary"
    onClick={() =>
      ctx.set(
        path,
        list.filter((_x, j) => j !== i),
      )
    }
  >
    {t('remove')}
  </button>
);

const ListError = ({ ctx, path }: { ctx: Ctx; path: Path }) => {
  const e = ctx.issues.get(pathKey(path));
  return e ? (
    <p class="field-error" role="alert">
      {e}
    </p>
  ) : null;
};

const Preview = ({ draft, currency }: { draft: Draft; currency: string }) => {
  const [amount, setAmount] = useState('500');
  const earning = earningSchema.safeParse(draft.earning);
  const minor = toMinor(amount, currency);
  const points =
    earning.success && minor !== undefined
      ? computeEarning({ currency, shippingMinor: 0, totalMinor: minor, lines: [{ netMinor: minor }] }, earning.data, {
          firstOrder: false,
        }).points
      : undefined;
  return (
    <div class="preview" data-view="earning-preview">
      <Field label={t('previewAmount', { currency })}>
        {(p) => <input {...p} inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />}
      </Field>
      <p role="status" aria-live="polite">
        {points !== undefined && minor !== undefined
          ? t('previewResult', { amount: money(minor, currency), points: num(points) })
          : '–'}
      </p>
    </div>
  );
};

const show = (v: unknown): string => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v));

export const ProgramEditor = ({ shopId, currency }: { shopId: string; currency: string }) => {
  const loaded = useLoad(() => get<{ shop: { program: Program } }>(shopPath(shopId)), [shopId]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <Editor key={shopId} shopId={shopId} currency={currency} saved={loaded.data.shop.program} />;
};

const Editor = ({ shopId, currency, saved: initial }: { shopId: string; currency: string; saved: Program }) => {
  const [saved, setSaved] = useState<Program>(initial);
  const [draft, setDraft] = useState<Draft>(initial as unknown as Draft);
  const [server, setServer] = useState<Map<string, string>>(new Map());
  const [reviewing, setReviewing] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const checked = useMemo(() => validate(draft), [draft]);
  const issues = useMemo(() => new Map([...server, ...checked.issues]), [server, checked]);
  const changes = useMemo(() => diff(saved, draft), [saved, draft]);
  const ctx: Ctx = {
    draft,
    issues,
    set: (path, value) => {
      setDraft((d) => setAt(d, path, value));
      setServer((s) => {
        const next = new Map(s);
        next.delete(pathKey(path));
        return next;
      });
      setDone(undefined);
    },
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    if (!reviewing) {
      setReviewing(true);
      return;
    }
    if (!checked.program) return;
    try {
      const r = await request<{ shop: { program: Program } }>('PATCH', shopPath(shopId), { program: draft });
      setSaved(r.shop.program);
      setDraft(r.shop.program as unknown as Draft);
      setReviewing(false);
      setDone(t('saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.issues.length) setServer(serverIssues(err.issues));
      else setError(err);
    }
  };

  const rewards = (getAt(draft, ['rewards']) as unknown[] | undefined) ?? [];
  const levels = (getAt(draft, ['tiers', 'levels']) as unknown[] | undefined) ?? [];
  const ways = (getAt(draft, ['waysToEarn']) as unknown[] | undefined) ?? [];
  const row = (children: JSX.Element[]) => <div class="row">{children}</div>;

  return (
    <form onSubmit={save} noValidate data-view="program">
      <h1>{t('program')}</h1>
      <Section title={t('earning')}>
        {row([
          <NumberField key="p" ctx={ctx} path={['earning', 'rate', 'points']} label={t('ratePoints')} />,
          <NumberField key="per" ctx={ctx} path={['earning', 'rate', 'per']} label={t('ratePer')} />,
          <SelectField
            key="b"
            ctx={ctx}
            path={['earning', 'basis']}
            label={t('basis')}
            options={opts('basis', ['subtotal_after_discounts', 'total_excluding_tax', 'total'])}
          />,
        ])}
        {row([
          <NumberField key="m" ctx={ctx} path={['earning', 'minimumOrderMinor']} label={t('minimumOrder')} />,
          <NumberField key="f" ctx={ctx} path={['earning', 'firstOrderBonusPoints']} label={t('firstOrderBonus')} />,
          <NumberField key="c" ctx={ctx} path={['earning', 'cashbackBasisPoints']} label={t('cashback')} />,
        ])}
        {row([
          <SelectField
            key="e"
            ctx={ctx}
            path={['earning', 'earnOn']}
            label={t('earnOn')}
            options={opts('earnOn', ['paid', 'created'])}
          />,
          <NumberField key="r" ctx={ctx} path={['returnWindowDays']} label={t('returnWindow')} />,
        ])}
        <h3>{t('preview')}</h3>
        <Preview draft={draft} currency={currency} />
      </Section>

      <Section title={t('rewards')}>
        <ListError ctx={ctx} path={['rewards']} />
        {rewards.map((_, i) => (
          <fieldset key={i} class="item">
            <legend>
              {t('rewards')} {i + 1}
            </legend>
            <div class="row">
              <TextField ctx={ctx} path={['rewards', i, 'id']} label={t('rewardId')} />
              <TextField ctx={ctx} path={['rewards', i, 'name']} label={t('rewardName')} />
              <SelectField
                ctx={ctx}
                path={['rewards', i, 'type']}
                label={t('rewardType')}
                options={opts('rewardType', rewardTypes)}
              />
              <NumberField ctx={ctx} path={['rewards', i, 'pointsCost']} label={t('pointsCost')} />
              <NumberField ctx={ctx} path={['rewards', i, 'valueMinor']} label={t('valueMinor')} />
            </div>
            <RewardLimits ctx={ctx} i={i} />
            <RemoveItem ctx={ctx} path={['rewards']} list={rewards} i={i} />
          </fieldset>
        ))}
        <AddItem
          ctx={ctx}
          path={['rewards']}
          list={rewards}
          item={{
            id: `reward-${rewards.length + 1}`,
            name: '',
            type: 'discount_code',
            pointsCost: 500,
            valueMinor: 500,
          }}
          label={t('addReward')}
        />
      </Section>

      <Section title={t('waysToEarn')}>
        <p class="muted">{t('waysToEarnIntro')}</p>
        <ListError ctx={ctx} path={['waysToEarn']} />
        {ways.map((_, i) => (
          <fieldset key={i} class="item" data-way={i}>
            <legend>
              {t('way')} {i + 1}
            </legend>
            <div class="row">
              <TextField ctx={ctx} path={['waysToEarn', i, 'type']} label={t('wayType')} />
              <NumberField ctx={ctx} path={['waysToEarn', i, 'points']} label={t('wayPoints')} />
              <SelectField
                ctx={ctx}
                path={['waysToEarn', i, 'limit']}
                label={t('wayLimit')}
                options={opts('wayLimit', activityLimits)}
              />
            </div>
            <div class="checks">
              <Toggle ctx={ctx} path={['waysToEarn', i, 'enabled']} label={t('wayEnabled')} />
              <Toggle ctx={ctx} path={['waysToEarn', i, 'tierMultiplier']} label={t('wayTierMultiplier')} />
            </div>
            <RemoveItem ctx={ctx} path={['waysToEarn']} list={ways} i={i} />
          </fieldset>
        ))}
        <AddItem
          ctx={ctx}
          path={['waysToEarn']}
          list={ways}
          item={{ type: '', points: 100, limit: 'once', enabled: true, tierMultiplier: false }}
          label={t('addWay')}
          dataKey="add-way"
        />
      </Section>

      <Section title={t('tiers')}>
        <Toggle ctx={ctx} path={['tiers', 'enabled']} label={t('tiersEnabled')} />
        <SelectField
          ctx={ctx}
          path={['tiers', 'qualifyOn']}
          label={t('qualifyOn')}
          options={opts('qualifyOn', ['spend', 'points', 'orders'])}
        />
        <ListError ctx={ctx} path={['tiers', 'levels']} />
        {levels.map((_, i) => (
          <fieldset key={i} class="item">
            <legend>
              {t('tier')} {i + 1}
            </legend>
            <div class="row">
              <TextField ctx={ctx} path={['tiers', 'levels', i, 'id']} label={t('rewardId')} />
              <TextField ctx={ctx} path={['tiers', 'levels', i, 'name']} label={t('name')} />
              <NumberField ctx={ctx} path={['tiers', 'levels', i, 'threshold']} label={t('threshold')} />
              <NumberField ctx={ctx} path={['tiers', 'levels', i, 'multiplierPercent']} label={t('multiplier')} />
              <TextField ctx={ctx} path={['tiers', 'levels', i, 'perks']} label={t('perks')} />
            </div>
            {levels.length > 1 ? <RemoveItem ctx={ctx} path={['tiers', 'levels']} list={levels} i={i} /> : null}
          </fieldset>
        ))}
        <AddItem
          ctx={ctx}
          path={['tiers', 'levels']}
          list={levels}
          item={{
            id: `tier-${levels.length + 1}`,
            name: `Tier ${levels.length + 1}`,
            threshold: 0,
            multiplierPercent: 100,
            perks: '',
          }}
          label={t('addTier')}
        />
      </Section>

      <Section title={t('referralRewards')}>
        <Toggle ctx={ctx} path={['referrals', 'enabled']} label={t('referralsEnabled')} />
        {row([
          <NumberField key="a" ctx={ctx} path={['referrals', 'referrerRewardPoints']} label={t('referrerReward')} />,
          <NumberField key="b" ctx={ctx} path={['referrals', 'friendDiscountPercent']} label={t('friendDiscount')} />,
          <NumberField
            key="c"
            ctx={ctx}
            path={['referrals', 'attributionWindowDays']}
            label={t('attributionWindow')}
          />,
          <NumberField key="d" ctx={ctx} path={['referrals', 'monthlyCapPerReferrer']} label={t('monthlyCap')} />,
        ])}
      </Section>

      <Section title={t('expiry')}>
        {row([
          <NumberField key="a" ctx={ctx} path={['expiry', 'inactivityMonths']} label={t('inactivityMonths')} />,
          <NumberField key="b" ctx={ctx} path={['expiry', 'warningDays']} label={t('warningDays')} />,
        ])}
      </Section>

      <Section title={t('emailSwitches')}>
        <Toggle ctx={ctx} path={['emails', 'enabled']} label={t('emailsEnabled')} />
        <div class="checks">
          {emailTypes
            .filter((type) => getAt(draft, ['emails', 'transactional', type]) !== undefined)
            .map((type) => (
              <Toggle key={type} ctx={ctx} path={['emails', 'transactional', type]} label={type} />
            ))}
        </div>
      </Section>

      <div class="card sticky-actions">
        {reviewing ? (
          <div data-view="program-diff">
            <h2 tabIndex={-1} ref={(el) => el?.focus()}>
              {t('changes')}
            </h2>
            {changes.length === 0 ? (
              <p class="muted">{t('noChanges')}</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('field')}</th>
                      <th scope="col">{t('from')}</th>
                      <th scope="col">{t('to')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((c) => (
                      <tr key={c.path}>
                        <th scope="row">
                          <code>{c.path}</code>
                        </th>
                        <td>
                          <del>{show(c.from)}</del>
                        </td>
                        <td>
                          <ins>{show(c.to)}</ins>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        ) : null}
        {issues.size > 0 ? (
          <p class="note error" role="alert">
            {t('fixErrors')}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" disabled={issues.size > 0 || (reviewing && changes.length === 0)}>
            {reviewing ? t('save') : t('reviewChanges')}
          </button>
          {reviewing ? (
            <button type="button" class="secondary" onClick={() => setReviewing(false)}>
              {t('cancel')}
            </button>
          ) : null}
        </div>
        <ErrorNote error={error} />
        <Status text={done} />
      </div>
    </form>
  );
};
