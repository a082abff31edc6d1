/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { consentFixture } from '../../../test/consent-fixtures';
import { renderWithApp } from '../../../test/render';
import type { Consent } from '../api/consents.queries';
import { ConsentTimeline } from './ConsentTimeline';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
/** 100 days wide, so a day is one percent of the track. */
const RANGE = { start: START, end: START + 100 * DAY };
const day = (n: number) => new Date(START + n * DAY).toISOString();

function rowOf(id: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(`[data-consent-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
}

function barOf(id: string): HTMLElement {
  const bar = rowOf(id).querySelector<HTMLElement>('[data-testid="consent-bar"]');
  if (!bar) throw new Error(`no bar for ${id}`);
  return bar;
}

function renderTimeline(consents: Consent[], onSelect: (c: Consent) => void = () => undefined, now = START + 50 * DAY) {
  return renderWithApp(<ConsentTimeline consents={consents} range={RANGE} zoom="quarter" now={now} onSelect={onSelect} />);
}

describe('ConsentTimeline', () => {
  it('draws each consent from validFrom to validUntil, cut square where it runs past the window', () => {
    renderTimeline([
      consentFixture('inside', { validFrom: day(25), validUntil: day(75) }),
      consentFixture('early', { validFrom: day(-30), validUntil: day(10), status: 'expired' }),
      consentFixture('late', { validFrom: day(90), validUntil: day(300), status: 'upcoming' }),
    ]);
    expect(barOf('inside').style.left).toBe('25%');
    expect(barOf('inside').style.width).toBe('50%');
    expect(barOf('inside').style.borderTopLeftRadius).toBe('4px');

    expect(barOf('early').style.left).toBe('0%');
    expect(barOf('early').style.width).toBe('10%');
    expect(parseFloat(barOf('early').style.borderTopLeftRadius)).toBe(0);

    expect(barOf('late').style.left).toBe('90%');
    expect(barOf('late').style.width).toBe('10%');
    expect(parseFloat(barOf('late').style.borderTopRightRadius)).toBe(0);
  });

  it('colours bars by status, as the legend does', () => {
    renderTimeline([
      consentFixture('a', { status: 'active', validFrom: day(10), validUntil: day(20) }),
      consentFixture('u', { status: 'upcoming', validFrom: day(30), validUntil: day(40) }),
      consentFixture('e', { status: 'expired', validFrom: day(0), validUntil: day(5) }),
      consentFixture('w', { status: 'withdrawn', validFrom: day(50), validUntil: day(90), withdrawnAt: day(60) }),
    ]);
    expect(['a', 'u', 'e', 'w'].map((id) => [barOf(id).dataset.status, barOf(id).dataset.color])).toEqual([
      ['active', 'green'],
      ['upcoming', 'blue'],
      ['expired', 'gray'],
      ['withdrawn', 'red'],
    ]);
    expect(barOf('w').style.background).toContain('--mantine-color-red-6');
  });

  it('marks where a consent was withdrawn and fades the validity it cut off', () => {
    renderTimeline([
      consentFixture('w', { status: 'withdrawn', validFrom: day(20), validUntil: day(80), withdrawnAt: day(45), withdrawnReason: 'asked by phone' }),
      consentFixture('a', { validFrom: day(20), validUntil: day(80) }),
    ]);
    const marker = rowOf('w').querySelector<HTMLElement>('[data-testid="withdrawal-marker"]')!;
    expect(marker.style.left).toBe('45%');
    expect(marker.getAttribute('aria-label')).toMatch(/^Withdrawn /);
    expect(marker.getAttribute('title')).toMatch(/asked by phone/);
    const remainder = rowOf('w').querySelector<HTMLElement>('[data-testid="withdrawn-remainder"]')!;
    expect([remainder.style.left, remainder.style.width]).toEqual(['45%', '35%']);
    expect(rowOf('a').querySelector('[data-testid="withdrawal-marker"]')).toBeNull();
  });

  it('draws a line for today, only when today is in the window', () => {
    const { unmount } = renderTimeline([consentFixture('a')], undefined, START + 30 * DAY);
    expect(screen.getByTestId('today-line').style.left).toBe('30%');
    unmount();
    renderTimeline([consentFixture('a')], undefined, START + 200 * DAY);
    expect(screen.queryByTestId('today-line')).toBeNull();
  });

  it('keeps a row for consents outside the window, saying where they are', () => {
    renderTimeline([consentFixture('old', { status: 'expired', validFrom: day(-300), validUntil: day(-200) })]);
    expect(rowOf('old').querySelector('[data-testid="consent-bar"]')).toBeNull();
    expect(rowOf('old').textContent).toMatch(/ended/);
  });

  it('opens a consent when its bar is clicked', () => {
    const onSelect = jest.fn<(c: Consent) => void>();
    const consent = consentFixture('a', { subjectRef: 'cust_42', purpose: 'analytics', validFrom: day(10), validUntil: day(20) });
    renderTimeline([consent], onSelect);
    fireEvent.click(screen.getByRole('button', { name: /^cust_42, analytics: active/ }));
    expect(onSelect).toHaveBeenCalledWith(consent);
  });

  it('opens a consent from its subject label too, by click or from the keyboard', async () => {
    const user = setupUser();
    const onSelect = jest.fn<(c: Consent) => void>();
    const consent = consentFixture('a', { subjectRef: 'cust_42', purpose: 'analytics', validFrom: day(10), validUntil: day(20) });
    renderTimeline([consent], onSelect);
    const label = screen.getByRole('button', { name: 'cust_42, analytics' });
    expect(label.tagName).toBe('BUTTON');
    // Before the bar in its row, so Tab reaches the label first.
    expect(label.compareDocumentPosition(barOf('a')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.click(label);
    expect(onSelect).toHaveBeenCalledTimes(1);
    label.focus();
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(onSelect).toHaveBeenCalledTimes(3);
    expect(onSelect).toHaveBeenLastCalledWith(consent);
  });
});
