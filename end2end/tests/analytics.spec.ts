// The librarian's report in the browser, with JavaScript on and off: the librarian of СОШ № 1
// opens the report, sees the charts (images with titles) and the same figures in tables, picks an
// academic year with the GET form, and downloads the CSV that Excel in Russian opens.
// Other browser tests add projects and sources to the same database, so numbers are not fixed.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

test('a librarian reads the report, filters it by year and downloads the CSV', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('bibl.sosh1');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();

  await page.goto('/manage/sosh-1/analytics');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Библиотека в проектах: отчёт');
  await expect(page.locator('.report-scope')).toContainText('МБОУ СОШ № 1, Все годы');
  // Each chart is an image named by its title, with the same figures in a table beside it.
  const chart = page.getByRole('img', { name: 'Проекты по числу источников в списке' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('rect.chart-bar')).toHaveCount(4);
  const table = page.getByRole('table', { name: 'Проекты по числу источников в списке' });
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(table.getByRole('rowheader', { name: '10 и больше' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Источники: печатные, электронные, статьи и другие' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Печатные и электронные источники' })).toContainText('Электронные');
  await expect(page.locator('.report-summary')).toContainText(/Проектов: \d+, источников в их списках: \d+\./);

  // The newest academic year, through the GET form (no script needed).
  const year = page.getByLabel('Учебный год');
  await year.selectOption({ index: 1 });
  const label = (await year.locator('option').nth(1).textContent()) ?? '';
  expect(label).toMatch(/^\d{4}\/\d{4}$/);
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/year=\d{4}/);
  await expect(page.locator('.report-scope')).toContainText(`МБОУ СОШ № 1, ${label}`);
  await expect(page.getByLabel('Учебный год')).toHaveValue(label.slice(0, 4));

  // The CSV of the same figures: UTF-8 with a byte order mark, `;` between fields.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Скачать таблицу CSV (для Excel)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`libfolio-analytics-sosh-1-${label.slice(0, 4)}.csv`);
  const bytes = fs.readFileSync((await download.path()) ?? '');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/);
  expect(lines[0]).toBe('Раздел;Показатель;Подробности;Значение');
  expect(lines).toContain(`Библиотека в проектах: отчёт;Учебный год;${label};`);
  expect(lines.some((l) => /^Источников в проекте;Проектов;;\d+$/.test(l))).toBe(true);
});

test('a pupil does not find the report', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('ivanova.m');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  const response = await page.goto('/manage/sosh-1/analytics');
  expect(response?.status()).toBe(404);
  const csv = await page.request.get('/manage/sosh-1/analytics.csv');
  expect(csv.status()).toBe(404);
});
