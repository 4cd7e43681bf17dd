// A librarian's day, with JavaScript on and off: create a class, import its roster, print the
// login cards, record a consent and invite a parent; then the pupil and the parent sign in and
// see what they should.
import { test, expect, Page } from '@playwright/test';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('link', { name: 'Войти' })).toBeVisible();
}

test('a librarian imports a class, prints cards, records consent and invites a parent', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${msg.text()}`);
  });
  // Both projects share one database: each works in its own class.
  const js = testInfo.project.name === 'js';
  const className = js ? '10В' : '10Г';
  const surname = js ? 'Лесная' : 'Полевая';

  await signIn(page, 'bibl.sosh1', demoPassword);
  await page.getByRole('link', { name: 'Школа' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Классы и ученики');
  await page.getByRole('link', { name: 'МБОУ СОШ № 1' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('МБОУ СОШ № 1');
  await expect(page.getByRole('link', { name: '7Б' })).toBeVisible();

  // A class name that is not one shows the problem next to the field.
  await page.getByLabel('Название класса').fill('12Я');
  await page.getByRole('button', { name: 'Создать класс' }).click();
  await expect(page.locator('#class-name-error')).toContainText('от 1 до 11');
  await page.getByLabel('Название класса').fill(className.toLowerCase());
  await page.getByRole('button', { name: 'Создать класс' }).click();
  await expect(page.getByRole('link', { name: className })).toBeVisible();

  // A roster with bad rows imports nothing and names every bad row.
  const bad = `Фамилия;Имя;Отчество;Класс\n${surname};Анна;;${className}\n;Борис;;${className}\nКотов;Вадим;;13А\n`;
  await page.getByLabel('Файл со списком').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf-8') });
  await page.getByRole('button', { name: 'Проверить файл' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Список не загружен');
  await expect(page.getByRole('alert')).toContainText('Строк с ошибками: 2');
  await expect(page.getByRole('row', { name: /3 не указана фамилия/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /4 «13А»/ })).toBeVisible();

  // A good one is previewed, then imported.
  await page.getByRole('link', { name: 'Загрузить исправленный файл' }).click();
  const good = `Фамилия;Имя;Отчество;Класс\n${surname};Анна;Игоревна;${className}\nКотов;Вадим;;${className}\n`;
  await page.getByLabel('Файл со списком').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf-8') });
  await page.getByRole('button', { name: 'Проверить файл' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Проверьте список перед загрузкой');
  await expect(page.getByText('Учеников в файле: 2')).toBeVisible();
  await page.getByRole('button', { name: 'Загрузить учеников: 2' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Карточки для входа');
  const cards = page.locator('.login-card');
  await expect(cards).toHaveCount(2);
  const card = cards.filter({ hasText: surname });
  const codes = card.locator('dd code');
  const pupilUsername = (await codes.nth(0).textContent()) ?? '';
  const pupilPassword = (await codes.nth(1).textContent()) ?? '';
  expect(pupilUsername).toMatch(/^(lesnaia|polevaia)\.a\d*$/);
  expect(pupilPassword.length).toBeGreaterThanOrEqual(11);

  // The class lists the pupils; the pupil's page records a consent and gives an invite code.
  await page.goto('/manage/sosh-1');
  await page.getByRole('link', { name: className }).click();
  await page.getByRole('link', { name: `${surname} Анна Игоревна` }).click();
  await expect(page.getByText('Участник проекта (без имени)')).toBeVisible();
  await page.getByLabel('Согласие', { exact: true }).selectOption('publication');
  await page.getByLabel('Дата подписания').fill('2026-09-01');
  await page.getByLabel('Номер или описание документа (необязательно)').fill('№ 7/к');
  await page.getByRole('button', { name: 'Отметить согласие' }).click();
  await expect(page.getByText(`Анна ${surname[0]}., ${className}`)).toBeVisible();
  await page.getByRole('button', { name: 'Выдать код приглашения' }).click();
  const code = (await page.locator('.invite-code-big code').textContent()) ?? '';
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await signOut(page);

  // The pupil signs in with the card and sees their school and class.
  await signIn(page, pupilUsername, pupilPassword);
  await page.goto('/account');
  await expect(page.getByText(`МБОУ СОШ № 1, ${className}`)).toBeVisible();
  // Pupils have no staff pages.
  const denied = await page.goto('/manage');
  expect(denied?.status()).toBe(403);
  await page.goto('/');
  await signOut(page);

  // A parent registers with the code and sees the child.
  await page.goto('/login');
  await page.getByRole('link', { name: 'регистрация по коду приглашения' }).click();
  await page.getByLabel('Код приглашения').fill(code.toLowerCase());
  await page.getByLabel('Ваше имя (как к вам обращаться)').fill('Ирина Лесная');
  await page.getByLabel('Имя пользователя').fill(js ? 'mama.js' : 'mama.nojs');
  await page.getByLabel('Новый пароль (не короче 8 символов)').fill('семья-пароль-1');
  await page.getByLabel('Новый пароль ещё раз').fill('семья-пароль-1');
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Мой профиль');
  await expect(page.getByRole('heading', { name: 'Мои дети' })).toBeVisible();
  await expect(page.getByText(`${surname} Анна Игоревна`)).toBeVisible();
  await signOut(page);

  // The code worked once.
  await page.goto('/register');
  await page.getByLabel('Код приглашения').fill(code);
  await page.getByLabel('Ваше имя (как к вам обращаться)').fill('Кто-то другой');
  await page.getByLabel('Имя пользователя').fill(js ? 'drugoi.js' : 'drugoi.nojs');
  await page.getByLabel('Новый пароль (не короче 8 символов)').fill('другой-пароль-1');
  await page.getByLabel('Новый пароль ещё раз').fill('другой-пароль-1');
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page.locator('#code-error')).toContainText('Код не подходит');
  expect(errors).toEqual([]);
});

test('a librarian adds a teacher with a login card and finds it in the audit log', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${msg.text()}`);
  });
  const username = testInfo.project.name === 'js' ? 'orlova.js' : 'orlova.nojs';

  await signIn(page, 'bibl.sosh1', demoPassword);
  await page.goto('/manage/sosh-1');
  await page.getByLabel('Имя и отчество, фамилия').fill('Нина Павловна Орлова');
  await page.getByLabel('Имя пользователя').fill('Неправильно');
  await page.getByRole('button', { name: 'Создать и напечатать карточку' }).click();
  await expect(page.locator('#staff-username-error')).toContainText('Латинские буквы');
  await page.getByLabel('Имя и отчество, фамилия').fill('Нина Павловна Орлова');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByRole('button', { name: 'Создать и напечатать карточку' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Карточки для входа');
  const codes = page.locator('.login-card dd code');
  await expect(codes.nth(0)).toHaveText(username);
  const password = (await codes.nth(1).textContent()) ?? '';
  // Marked printed, the card is gone.
  await page.getByRole('button', { name: 'Карточки напечатаны: удалить пароли' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('МБОУ СОШ № 1');
  await expect(page.getByRole('row', { name: new RegExp(username) })).toContainText('Руководитель проектов');

  // The school-wide pupil search finds by part of a name, in any case.
  await page.getByRole('link', { name: 'Все ученики школы: поиск' }).click();
  await page.getByLabel('Фамилия или имя').fill('ИВАНОВА');
  await page.getByRole('button', { name: 'Найти' }).click();
  await expect(page.getByRole('link', { name: 'Иванова Мария Сергеевна' })).toBeVisible();

  await page.goto('/manage/audit');
  await page.getByLabel('Действие').selectOption('create_staff');
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page.getByRole('cell', { name: 'Создан сотрудник' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: /Нина Павловна Орлова/ }).first()).toBeVisible();
  await signOut(page);

  await signIn(page, username, password);
  await expect(page.locator('.account-menu')).toContainText('Нина Павловна Орлова');
  expect(errors).toEqual([]);
});

test('the coordinator edits a school, and a wrong page address is explained', async ({ page }, testInfo) => {
  // Other tests count the demo's six schools, so this one edits rather than adds (adding is
  // covered by the integration tests).
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${msg.text()}`);
  });
  const about = `Читальный зал на 20 мест (${testInfo.project.name}).`;

  await signIn(page, 'metodist', demoPassword);
  await page.goto('/manage');
  await page.getByRole('link', { name: 'Школы района (для администратора и методиста)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Школы района');
  await page.getByRole('link', { name: 'МБОУ СОШ № 12' }).click();
  await expect(page.getByLabel('Адрес страницы')).toHaveValue('sosh-12');
  await page.getByLabel('Адрес страницы').fill('СОШ 12');
  await page.getByLabel('О школе и её ИБЦ').fill(about);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('#school-slug-error')).toContainText('латинские');
  await page.getByLabel('Адрес страницы').fill('sosh-12');
  await page.getByLabel('О школе и её ИБЦ').fill(about);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page).toHaveURL(/\/schools\/sosh-12$/);
  await expect(page.getByText(about)).toBeVisible();
  expect(errors).toEqual([]);
});
