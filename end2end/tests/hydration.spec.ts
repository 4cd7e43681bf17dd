// With JavaScript on, the page hydrates under the strict Content-Security-Policy: no console
// errors, and client-side navigation works without a full reload.
import { test, expect } from '@playwright/test';

test('the app hydrates and navigates on the client', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'hydration needs JavaScript');
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm') && r.status() === 200);
  await page.goto('/');
  await wasm;
  await page.waitForLoadState('networkidle');
  // Mark the document: a full page load would lose the mark, a client-side navigation keeps it.
  await page.evaluate(() => ((window as any).__stillHere = true));
  await page.getByRole('link', { name: 'Школы', exact: true }).first().click();
  await expect(page).toHaveURL(/\/schools$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Школы');
  expect(await page.evaluate(() => (window as any).__stillHere === true)).toBe(true);
  expect(errors).toEqual([]);
});
