// Initiatives, search and the parents' block in the browser, with JavaScript on and off: a
// visitor reads the festival's page (its reading list with each school's fund, the projects by
// school), opens a published project and its print view, and finds projects by a word form;
// the coordinator creates an initiative with its schools and reading list; a librarian enters
// a project; a parent sees their child’s projects on the home page; a supervisor finds an
// unpublished project by the words of its pages.
import { test, expect, Page } from '@playwright/test';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

test('a visitor reads an initiative, its projects and a print view, and finds projects by word forms', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Инициативы', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Инициативы');
  await page.getByRole('link', { name: 'Фестиваль коренных народов Дальнего Востока' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Фестиваль коренных народов Дальнего Востока');
  // The reading list: the НЭБ document is read online from any school.
  const reading = page.getByRole('region', { name: 'Список чтения' });
  await expect(reading.getByText(/Дерсу Узала/).first()).toBeVisible();
  await expect(reading.getByText(/онлайн/).first()).toBeVisible();
  // The projects by school: the public ones by title, the others counted.
  const projects = page.getByRole('region', { name: 'Проекты участников' });
  await expect(projects.getByRole('heading', { name: 'МБОУ СОШ № 7' })).toBeVisible();
  await expect(projects.getByText('Узоры на берестяной посуде')).toHaveCount(0);
  await projects.getByRole('link', { name: 'Удэгейский орнамент на праздничной одежде' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Удэгейский орнамент на праздничной одежде');
  // A pupil without a consent to publish is counted, never named.
  await expect(page.locator('main')).toContainText('участник');
  await expect(page.locator('main')).not.toContainText('Кялундзюга');
  await expect(page.getByRole('link', { name: 'Фестиваль коренных народов Дальнего Востока' })).toBeVisible();
  await page.getByRole('link', { name: 'Версия для печати' }).click();
  await expect(page.getByText('Версия для печати: весь проект на одной странице.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Мастер-класс' }).first()).toBeVisible();

  // Search: «орнаментом» finds «орнамент» and marks it.
  await page.goto('/search');
  await page.getByLabel('Что ищем').fill('орнаментом');
  await page.getByRole('button', { name: 'Найти', exact: true }).click();
  await expect(page).toHaveURL(/q=/);
  const hit = page.getByRole('listitem').filter({ hasText: 'Удэгейский орнамент на праздничной одежде' });
  await expect(hit.locator('mark').first()).toBeVisible();
  // The parents-only project is not found by a visitor.
  await expect(page.getByText('Узоры на берестяной посуде')).toHaveCount(0);
  // A tag leads to its page.
  await hit.getByRole('link', { name: '#удэгейцы' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('#удэгейцы');
  await expect(page.getByRole('link', { name: 'Удэгейский орнамент на праздничной одежде' })).toBeVisible();
});

test('the coordinator creates an initiative with its schools and reading list', async ({ page }, testInfo) => {
  const slug = `e2e-${testInfo.project.name}`;
  await signIn(page, 'metodist');
  await page.goto('/initiatives');
  await page.getByRole('link', { name: 'Управление инициативами' }).click();
  await page.getByLabel('Название').fill('Неделя детской книги');
  await page.getByLabel('Адрес страницы').fill(slug);
  await page.getByLabel('Уровень').selectOption('municipal');
  await page.getByLabel('Организатор').fill('ИБЦ МБОУ СОШ № 1');
  await page.getByLabel('Начало').fill('2026-03-23');
  // A mistake is shown beside its field, and nothing is saved.
  await page.getByLabel('Окончание').fill('2026-03-01');
  await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(page.getByText('Дата окончания раньше даты начала.')).toBeVisible();
  // The form comes back from the redirect empty: type it again.
  await page.getByLabel('Название').fill('Неделя детской книги');
  await page.getByLabel('Адрес страницы').fill(slug);
  await page.getByLabel('Организатор').fill('ИБЦ МБОУ СОШ № 1');
  await page.getByLabel('Начало').fill('2026-03-23');
  await page.getByLabel('Окончание').fill('2026-03-29');
  await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/initiatives/${slug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Неделя детской книги');

  await page.getByLabel('МБОУ СОШ № 1', { exact: true }).check();
  await page.getByLabel('МБОУ СОШ № 5', { exact: true }).check();
  await page.getByRole('button', { name: 'Сохранить список школ' }).click();
  await expect(page.getByLabel('МБОУ СОШ № 5', { exact: true })).toBeChecked();

  await page.getByLabel('Найти в каталоге').fill('Дерсу');
  await page.getByRole('button', { name: 'Найти', exact: true }).click();
  await page.getByRole('button', { name: 'Добавить в список' }).first().click();
  const list = page.getByRole('region', { name: 'Список чтения' });
  await expect(list.getByText(/Дерсу Узала/).first()).toBeVisible();

  await page.getByRole('link', { name: 'Открыть страницу инициативы' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Неделя детской книги');
  await expect(page.getByRole('link', { name: 'МБОУ СОШ № 5' }).first()).toBeVisible();
});

test('a supervisor enters a project in an initiative and a parent sees the children’s projects', async ({ page, browser }, testInfo) => {
  await signIn(page, 'uchitel.sosh1');
  await page.goto('/projects');
  await page.getByRole('link', { name: /Маяки Татарского пролива/ }).first().click();
  await page.getByRole('link', { name: 'Публикация' }).click();
  const section = page.getByRole('region', { name: 'Инициативы' });
  const item = section.getByRole('listitem').filter({ hasText: 'Читаем вместе Дальневосточную книгу' });
  await item.getByRole('button', { name: 'Заявить проект' }).click();
  await expect(item.getByText('проект заявлен')).toBeVisible();
  await page.goto('/initiatives/chitaem-vmeste');
  await expect(page.getByRole('link', { name: 'Маяки Татарского пролива' })).toBeVisible();
  // Withdrawn again, so that the other run starts from the same state.
  await page.goBack();
  await page.reload();
  await page
    .getByRole('region', { name: 'Инициативы' })
    .getByRole('listitem')
    .filter({ hasText: 'Читаем вместе Дальневосточную книгу' })
    .getByRole('button', { name: 'Снять с участия' })
    .click();
  await expect(
    page.getByRole('region', { name: 'Инициативы' }).getByRole('listitem').filter({ hasText: 'Читаем вместе' }).getByRole('button', { name: 'Заявить проект' }),
  ).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js' });
  const parent = await context.newPage();
  await signIn(parent, 'roditel.lebedeva');
  await parent.goto('/');
  const children = parent.getByRole('region', { name: 'Проекты ваших детей' });
  await expect(children.getByRole('link', { name: 'Узоры на берестяной посуде' })).toBeVisible();
  await children.getByRole('link', { name: 'Опубликованная версия' }).first().click();
  await expect(parent.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(parent.locator('main')).toContainText('Анна Л., 8А');
});

test('a supervisor finds an unpublished project by a word of its page text', async ({ page }) => {
  await signIn(page, 'uchitel.sosh1');
  await page.goto('/search');
  // «смотрителей»: only the text of a page of «Маяки Татарского пролива» has «смотритель».
  await page.getByLabel('Что ищем').fill('смотрителей');
  await page.getByRole('button', { name: 'Найти' }).click();
  const staff = page.getByRole('region', { name: 'Проекты, которые вы ведёте или видите по должности' });
  await expect(staff.getByRole('listitem').filter({ hasText: 'не опубликован' })).toHaveCount(1);
  await staff.getByRole('link', { name: 'Маяки Татарского пролива' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Маяки Татарского пролива' })).toBeVisible();

  // A visitor searching the same word finds nothing and sees no staff section.
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.goto('/search?q=%D1%81%D0%BC%D0%BE%D1%82%D1%80%D0%B8%D1%82%D0%B5%D0%BB%D0%B5%D0%B9');
  await expect(page.getByRole('heading', { name: 'Найдено проектов: 0' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Проекты, которые вы ведёте или видите по должности' })).toHaveCount(0);
  await expect(page.getByText('Маяки Татарского пролива')).toHaveCount(0);
});
