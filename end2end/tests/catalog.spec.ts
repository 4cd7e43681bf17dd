// The catalogue in the browser, with JavaScript on and off: the librarian imports a MARC export
// and reads the report; anyone finds a record by a word form and opens its ГОСТ description.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';
const fixtures = path.join(__dirname, '..', '..', 'app', 'tests', 'fixtures', 'marc');

test('a librarian imports the fund and a visitor finds a book', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('bibl.sosh1');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();

  await page.goto('/manage/sosh-1/catalog');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Каталог школы');
  // A file that is not a catalogue is refused beside the field.
  await page.getByLabel('Файл').setInputFiles({ name: 'ученики.csv', mimeType: 'text/csv', buffer: Buffer.from('Фамилия;Имя\nИванова;Мария\n') });
  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  await expect(page.locator('#catalog-file-error')).toContainText('Это не файл каталога');
  // A real export: both browser projects import it; the second updates what the first added.
  await page.getByLabel('Файл').setInputFiles({
    name: js ? 'fond-js.mrc' : 'fond.mrc',
    mimeType: 'application/octet-stream',
    buffer: fs.readFileSync(path.join(fixtures, 'seed_1_marc21.mrc')),
  });
  await page.getByRole('button', { name: 'Загрузить', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Отчёт о загрузке');
  await expect(page.locator('.import-counts')).toContainText(/Добавлено: [01], обновлено: [01], пропущено: 0\./);

  // A visitor searches with another form of the word and opens the record.
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.goto('/catalog');
  await page.getByLabel('Название, автор, ISBN или ключевые слова').fill('логарифм');
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page).toHaveURL(/q=/);
  const result = page.getByRole('link', { name: /Таблицы логарифмов простых чисел/ });
  await expect(result).toBeVisible();
  await result.click();
  await expect(page.locator('.gost')).toContainText('Афанасьев, П. А. Таблицы логарифмов');
  await expect(page.locator('.gost')).toContainText('Текст : непосредственный');
});

test('a pupil adds sources from the catalogue and by hand', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('ivanova.m');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  await page.goto('/projects');
  await page.getByRole('link', { name: /Фестиваль коренных народов/ }).first().click();
  await page.getByRole('link', { name: 'Список источников' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Список источников');

  // The picker searches the school's catalogue by a word form (a GET form, no script needed).
  await page.getByLabel('Название, автор, ISBN или ключевые слова').fill('книгу');
  await page.getByRole('button', { name: 'Найти' }).click();
  const found = page.locator('.picker-results li', { hasText: 'Модная книга' }).first();
  await expect(found).toBeVisible();
  await found.getByRole('button', { name: 'Добавить в список' }).click();
  await expect(page.locator('.source-list')).toContainText('Модная книга');

  // A web page the library lacks, described field by field.
  const title = js ? 'Орнамент нанайцев (JS)' : 'Орнамент нанайцев';
  await page.getByLabel('Вид').selectOption('web');
  await page.getByLabel('Заглавие', { exact: true }).fill(title);
  await page.getByLabel('Адрес в интернете (URL)').fill('https://example.org/ornament');
  await page.getByLabel('Дата обращения').fill('2026-11-01');
  await page.getByRole('button', { name: 'Добавить источник' }).click();
  await expect(page.locator('.source-list')).toContainText(`${title} : [сайт]`);
  await expect(page.locator('.source-list')).toContainText('(дата обращения: 01.11.2026)');
  await expect(page.locator('.copy-list')).toHaveValue(/^1\. /);
});

test('a pupil cites a source on a page and the page lists it', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('ivanova.m');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  await page.goto('/projects');
  await page.getByRole('link', { name: /Фестиваль коренных народов/ }).first().click();
  const project = page.url().replace(/[?#].*$/, '');
  await page.getByRole('link', { name: 'Список источников' }).click();
  // Each source shows the key pages cite it by.
  const entry = page.locator('.source-list li', { hasText: 'Модная книга' }).first();
  await expect(entry).toBeVisible();
  const key = ((await entry.locator('.cite-key').textContent()) ?? '').trim();
  expect(key).toMatch(/^\[@.+\]$/);

  await page.goto(`${project}/pages/zamysel/edit`);
  if (js) await expect(page.locator('form.editor[data-live="on"]')).toBeVisible();
  const citable = page.locator('.citable li', { hasText: key });
  await expect(citable).toBeVisible();
  const body = page.getByLabel('Текст', { exact: true });
  if (js) {
    // The picker puts the key where the cursor is.
    await body.fill('Об узорах на одежде пишет «Модная книга» ');
    await body.press('Control+End');
    await citable.getByRole('button', { name: 'Вставить ссылку' }).click();
    await expect(body).toHaveValue(`Об узорах на одежде пишет «Модная книга» ${key}`);
    await body.press('Control+End');
    await body.pressSequentially('.');
  } else {
    await body.fill(`Об узорах на одежде пишет «Модная книга» ${key.replace(']', ', с. 5]')}.`);
  }
  await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(page).toHaveURL(/\/pages\/zamysel$/);
  const citation = page.locator('.markdown a[href="#cite-1"]');
  await expect(citation).toHaveText('1');
  await expect(page.locator('.markdown')).toContainText(js ? '[1].' : '[1, с. 5].');
  await expect(page.getByRole('heading', { name: 'Источники', exact: true })).toBeVisible();
  await expect(page.locator('#cite-1')).toContainText('Модная книга');
  await citation.click();
  await expect(page).toHaveURL(/#cite-1$/);
});

test('a librarian keeps the fund: copies, availability, a record by hand', async ({ page }, testInfo) => {
  const js = testInfo.project.name === 'js';
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('bibl.sosh1');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();

  await page.goto('/catalog?q=логарифм&school=sosh-1');
  await page.getByRole('link', { name: /Таблицы логарифмов простых чисел/ }).first().click();
  const number = js ? 'И-JS-1' : 'И-1';
  await page.getByLabel('Инвентарный номер').fill(number);
  await page.getByLabel('Шифр (расстановочный)').fill('22.1');
  await page.getByRole('button', { name: 'Добавить экземпляр' }).click();
  const row = page.locator('table.copies tr', { hasText: number });
  await expect(row).toContainText('на полке');
  // Now it is found among what can be had now.
  const record = page.url();
  await page.goto('/catalog?school=sosh-1');
  await page.getByLabel('Название, автор, ISBN или ключевые слова').fill('логарифмы');
  await page.getByLabel('только то, что можно взять сейчас').check();
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page.getByRole('link', { name: /Таблицы логарифмов простых чисел/ })).toBeVisible();
  await page.goto(record);
  await page.locator('table.copies tr', { hasText: number }).getByRole('button', { name: 'Отметить: выдан' }).click();
  await expect(page.locator('table.copies tr', { hasText: number })).toContainText('выдан');

  // A record by hand: a wrong ISBN is explained beside the field, then the record is saved.
  await page.goto('/manage/sosh-1/catalog');
  await page.getByRole('link', { name: 'Новая запись каталога' }).click();
  const title = js ? 'Сказки Амура (JS)' : 'Сказки Амура';
  await page.getByLabel('Заглавие', { exact: true }).fill(title);
  await page.getByLabel('Год').fill('1981');
  await page.getByLabel('ISBN').fill('978-5-7042-1994-0');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('#record-isbn-error')).toContainText('Это не ISBN');
  // The form comes back as it was loaded (a plain form post, with or without JavaScript).
  await page.getByLabel('Заглавие', { exact: true }).fill(title);
  await page.getByLabel('Год').fill('1981');
  await page.getByLabel('ISBN').fill('');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.gost')).toContainText(title);
  await expect(page.locator('.gost')).toContainText('1981');

  // A НЭБ document under copyright: read in the virtual reading rooms, and the description
  // says so.
  await page.goto('/manage/sosh-1/catalog/records/new');
  const neb = js ? 'Дерсу Узала (JS)' : 'Дерсу Узала';
  await page.getByLabel('Вид').selectOption({ label: 'документ НЭБ' });
  await page.getByLabel('Заглавие', { exact: true }).fill(neb);
  await page.getByLabel('Адрес в интернете (URL)').fill('https://rusneb.ru/catalog/000199_000009_010101010/');
  await page.getByLabel('Режим доступа (для электронных ресурсов)').selectOption({ label: 'в виртуальных читальных залах НЭБ' });
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(neb);
  await expect(page.locator('.gost')).toContainText('Национальная электронная библиотека : [сайт]');
  await expect(page.locator('.gost')).toContainText('Режим доступа: в виртуальных читальных залах НЭБ.');
});

test('the coordinator keeps the district e-resources, found from every school', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill('metodist');
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  await page.goto('/manage');
  await page.getByRole('link', { name: 'Электронные ресурсы района' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Электронные ресурсы района');
  await expect(page.getByRole('link', { name: 'Новая запись каталога' })).toBeVisible();
  // A school's search finds the district's НЭБ document, with its reading-room access.
  await page.goto('/catalog?school=gimnaziya-3');
  await page.getByLabel('Название, автор, ISBN или ключевые слова').fill('Дерсу');
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.getByRole('link', { name: /Дерсу Узала/ }).first().click();
  await expect(page.locator('.gost')).toContainText('Режим доступа: в виртуальных читальных залах НЭБ.');
  await expect(page.getByRole('link', { name: 'Исправить запись' })).toBeVisible();
});
