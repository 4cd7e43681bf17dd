// The app shell as a visitor meets it: the Russian home page with the district's six schools,
// a school page, the 404 page, the language switch and the version for the visually impaired.
// Every test runs with JavaScript on and off (see playwright.config.ts).
import { test, expect, Page } from '@playwright/test';

// With JavaScript on, collect console errors and wait for hydration to finish.
async function open(page: Page, path: string, errors: string[]) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  const response = await page.goto(path);
  await page.waitForLoadState('networkidle');
  return response;
}

test('the home page is in Russian and lists six schools', async ({ page }) => {
  const errors: string[] = [];
  const response = await open(page, '/', errors);
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Советско-Гаванский муниципальный район');
  await expect(page.locator('.site-header')).toContainText('Советско-Гаванский муниципальный район');
  await expect(page.locator('.school-list > li')).toHaveCount(6);
  await expect(page.getByText('6 школ')).toBeVisible();
  await expect(page).toHaveTitle('Главная — Libfolio');
  expect(errors).toEqual([]);
});

test('a school card leads to the school page', async ({ page }) => {
  const errors: string[] = [];
  await open(page, '/', errors);
  await page.getByRole('link', { name: 'МБОУ СОШ № 7' }).click();
  await expect(page).toHaveURL(/\/schools\/sosh-7$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('МБОУ СОШ № 7');
  await expect(page.getByText('р. п. Заветы Ильича').first()).toBeVisible();
  // The date the school joined, in Russian form: «28 ноября 2026 г.»
  await expect(page.locator('time')).toHaveText(/^\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4} г\.$/);
  expect(errors).toEqual([]);
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const errors: string[] = [];
  const response = await open(page, '/no/such/page', errors);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Страница не найдена');
  await expect(page.getByRole('link', { name: 'На главную' })).toBeVisible();
  const unknownSchool = await page.goto('/schools/no-such-school');
  expect(unknownSchool?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Страница не найдена');
});

test('the language switch turns the site into English and back', async ({ page }) => {
  const errors: string[] = [];
  await open(page, '/schools/sosh-1', errors);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/schools\/sosh-1$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: 'Schools', exact: true }).first()).toBeVisible();
  await expect(page.getByText('On Libfolio since')).toBeVisible();
  // The choice is kept: another page is in English too.
  await page.goto('/');
  await expect(page.getByText('6 schools')).toBeVisible();
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByText('6 школ')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the version for the visually impaired can be switched on and off', async ({ page }) => {
  const errors: string[] = [];
  await open(page, '/', errors);
  const normalSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  await page.getByRole('button', { name: 'Версия для слабовидящих' }).click();
  await expect(page.locator('html')).toHaveClass(/a11y/);
  const largeSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(parseFloat(largeSize)).toBeGreaterThan(parseFloat(normalSize));
  await expect(page.getByRole('button', { name: 'Обычная версия' })).toHaveAttribute('aria-pressed', 'true');
  // Kept on the next page.
  await page.getByRole('link', { name: 'Школы', exact: true }).first().click();
  await expect(page.locator('html')).toHaveClass(/a11y/);
  await page.getByRole('button', { name: 'Обычная версия' }).click();
  await expect(page.locator('html')).not.toHaveClass(/a11y/);
  expect(errors).toEqual([]);
});

test('the page can be used with the keyboard: skip link first', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Перейти к содержанию' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
