// A project from start to history, with JavaScript on and off: a teacher creates a project for a
// pupil, uploads an image, writes a page with a table and the image, previews it, saves it, adds a
// second page, reorders the pages, looks at the history and restores the first version.
import { test, expect, Page } from '@playwright/test';
import * as zlib from 'zlib';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

// A small PNG drawn here (stripes), so the test needs no image file; the server decodes and
// re-encodes it like any photo.
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function makePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const stripe = Math.floor((x + y) / 8) % 2 === 0;
      row.set(stripe ? [23, 62, 112] : [238, 226, 200], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG = makePng(64, 48);

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

test('a teacher and a pupil write a project page, preview, reorder and restore', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${msg.text()}`);
  });
  // Both browser projects share one database: each makes its own project.
  const js = testInfo.project.name === 'js';
  const title = js ? 'Живой узор (JS)' : 'Живой узор';
  const imageName = js ? 'uzor-js' : 'uzor';

  await signIn(page, 'uchitel.sosh1');
  await page.getByRole('link', { name: 'Проекты' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Мои проекты');
  await page.getByRole('link', { name: 'Новый проект: МБОУ СОШ № 1' }).click();

  // A project without a title is refused next to the field, and nothing typed is lost (without
  // JavaScript the server sends the values back); then created.
  await page.getByLabel('Название').fill('   ');
  await page.getByLabel('групповой').check();
  await page.getByLabel('Предметная область').fill('Технология');
  await page.getByLabel('Тема', { exact: true }).fill('Орнамент на берестяной посуде нанайцев');
  await page.getByRole('button', { name: 'Создать проект' }).click();
  await expect(page.locator('#project-title-error')).toContainText('Заполните');
  await expect(page.getByLabel('групповой')).toBeChecked();
  await expect(page.getByLabel('Предметная область')).toHaveValue('Технология');
  await expect(page.getByLabel('Тема', { exact: true })).toHaveValue('Орнамент на берестяной посуде нанайцев');
  await page.getByLabel('Название').fill(title);
  await page.getByLabel('Тип проекта').selectOption({ label: 'творческий' });
  await page.getByLabel('Ученик').selectOption({ label: 'Мария Иванова, 7Б' });
  await page.getByRole('button', { name: 'Создать проект' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('Мария Иванова, 7Б')).toBeVisible();

  // An image, uploaded under a misleading name, is stored as the PNG it is.
  await page.getByLabel('Картинка или документ').setInputFiles({ name: `${imageName}.pdf`, mimeType: 'application/pdf', buffer: PNG });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.getByRole('link', { name: `${imageName}.png` })).toBeVisible();
  const projectUrl = page.url().split('#')[0];

  // The first page: a table and the image; preview, then save.
  await page.getByLabel('Название новой страницы').fill('Введение');
  await page.getByRole('button', { name: 'Добавить страницу' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Правка: Введение');
  if (js) await expect(page.locator('form.editor[data-live="on"]')).toBeVisible();
  const text = `## Мотивы\n\n| Мотив | Значение |\n|---|---|\n| Волна | река Амур |\n\n![Наш узор](${imageName}.png)\n`;
  await page.getByLabel('Текст', { exact: true }).fill(text);
  if (js) {
    // The live preview beside the editor, from the same server pipeline.
    await expect(page.locator('.preview.live table')).toContainText('река Амур');
  }
  // A save without a title is refused; the text stays as typed.
  await page.getByLabel('Название страницы').fill('   ');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('#page-title-error')).toContainText('Заполните');
  await expect(page.getByLabel('Текст', { exact: true })).toHaveValue(text);
  await page.getByLabel('Название страницы').fill('Введение');
  await page.getByRole('button', { name: 'Предпросмотр' }).click();
  await expect(page.locator('#preview table')).toContainText('река Амур');
  await expect(page.getByLabel('Текст', { exact: true })).toHaveValue(text);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Введение');
  await expect(page.getByRole('cell', { name: 'река Амур' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Наш узор' })).toBeVisible();
  await expect(page.getByText('Версия 2')).toBeVisible();

  // A second page, then the first moved below it.
  await page.goto(projectUrl);
  await page.getByLabel('Название новой страницы').fill('Выводы');
  await page.getByRole('button', { name: 'Добавить страницу' }).click();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.goto(projectUrl);
  const pages = page.locator('#page-list > li > a');
  await expect(pages).toHaveText(['Введение', 'Выводы']);
  await page.getByRole('button', { name: 'Опустить «Введение»' }).click();
  await expect(pages).toHaveText(['Выводы', 'Введение']);

  // History: the first version restored as a third; the table is gone, nothing is lost.
  await page.getByRole('link', { name: 'Введение' }).click();
  await page.getByRole('link', { name: 'История' }).click();
  await expect(page.getByRole('link', { name: 'Версия 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Сравнить выбранные версии' }).click();
  await expect(page.locator('.diff')).toContainText('+ | Волна | река Амур |');
  await page.goBack();
  await page.getByRole('link', { name: 'Версия 1' }).click();
  await page.getByRole('button', { name: 'Вернуть версию 1' }).click();
  await expect(page.getByText('Версия 3')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'река Амур' })).toHaveCount(0);

  // The pupil finds the project among hers and reads the pages.
  await page.getByRole('button', { name: 'Выйти' }).click();
  await signIn(page, 'ivanova.m');
  await page.getByRole('link', { name: 'Проекты' }).click();
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.locator('#page-list > li > a')).toHaveText(['Выводы', 'Введение']);

  expect(errors).toEqual([]);
});
