import { Fragment, useState, type ReactNode } from 'react';

/**
 * Day buttons, the first `shown` of them at once and the rest one click away:
 * a long list stays readable, and no offered day is ever out of reach.
 */
export function DayList<T>({ days, shown, keyOf, render, moreLabel }: {
  days: T[]; shown: number; keyOf: (d: T) => string; render: (d: T) => ReactNode; moreLabel: (hidden: number) => string;
}) {
  const [all, setAll] = useState(false);
  const visible = all ? days : days.slice(0, shown);
  return (
    <div className="vb-days">
      {visible.map((d) => <Fragment key={keyOf(d)}>{render(d)}</Fragment>)}
      {visible.length < days.length && (
        <button type="button" className="govuk-button govuk-button--secondary vb-more-days" onClick={() => setAll(true)}>
          {moreLabel(days.length - visible.length)}
        </button>
      )}
    </div>
  );
}
