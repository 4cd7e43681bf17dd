// The review workflow in the browser, with JavaScript on and off: a pupil proposes a project, the
// teacher approves the topic and makes it collective, the pupils submit, the teacher returns it
// with a remark on a heading, a pupil answers and revises, and every stage is accepted up to the
// defence, where the teacher fills the assessment cards and prints the protocol.
import { test, expect, Page, Browser } from '@playwright/test';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

async function signedIn(browser: Browser, js: boolean, username: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
  return page;
}

test('a supervisor and two pupils take a project from its topic to the printed protocol', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  // Both browser projects share one database: each proposes its own project.
  const js = testInfo.project.name === 'js';
  const title = js ? 'Сказка в картинках (JS)' : 'Сказка в картинках';
  const ilya = await signedIn(browser, js, 'petrov.i');
  const teacher = await signedIn(browser, js, 'uchitel.sosh1');
  const maria = await signedIn(browser, js, 'ivanova.m');

  // Илья proposes a topic to his teacher.
  await ilya.goto('/projects');
  await ilya.locator('#propose-title').fill(title);
  await ilya.locator('#propose-topic').fill('Нанайская сказка «Айога» в комиксе');
  await ilya.locator('#propose-supervisor').selectOption({ label: 'Андрей Павлович Ким' });
  await ilya.getByRole('button', { name: 'Отправить руководителю' }).click();
  await expect(ilya.getByRole('heading', { level: 1 })).toHaveText(title);
  const projectUrl = ilya.url().split('#')[0];

  // The teacher approves it with a comment and makes it collective with Мария.
  await teacher.goto(projectUrl);
  await teacher.getByLabel('Комментарий для ученика (необязательно)').fill('Возьмите два издания сказки.');
  await teacher.getByRole('button', { name: 'Принять тему' }).click();
  await expect(teacher.locator('.workflow-link')).toContainText('Паспорт и план');
  await teacher.getByRole('button', { name: 'Сделать групповым' }).click();
  await teacher.locator('#member-pupil').selectOption({ label: 'Мария Иванова, 7Б' });
  await teacher.locator('#member-note').fill('Рисунки');
  await teacher.locator('form', { has: teacher.locator('#member-pupil') }).getByRole('button').click();
  await expect(teacher.getByText('Рисунки')).toBeVisible();

  // Илья sees the approval, writes a page and submits the stage.
  await ilya.goto('/notifications');
  await expect(ilya.getByText('утвердил(а) тему').first()).toBeVisible();
  await ilya.goto(projectUrl);
  await ilya.getByLabel('Название новой страницы').fill('Сказка');
  await ilya.getByRole('button', { name: 'Добавить страницу' }).click();
  await ilya.getByLabel('Текст', { exact: true }).fill('## Начало\n\nПервая редакция.\n');
  await ilya.getByRole('button', { name: 'Сохранить' }).click();
  await expect(ilya.getByRole('heading', { level: 1 })).toHaveText('Сказка');
  await ilya.goto(`${projectUrl}/workflow`);
  await ilya.getByRole('button', { name: /Сдать на проверку этап/ }).click();
  await expect(ilya.getByRole('heading', { level: 1 })).toContainText('Сдача № 2');
  const firstSubmission = ilya.url();

  // After submitting, Мария keeps working; the teacher still reviews what was submitted.
  await maria.goto(`${projectUrl}/pages/skazka/edit`);
  await maria.getByLabel('Текст', { exact: true }).fill('## Начало\n\nПравка после сдачи.\n');
  await maria.getByRole('button', { name: 'Сохранить' }).click();
  await expect(maria.getByText('Правка после сдачи.')).toBeVisible();

  // The teacher finds it in the queue, remarks on the heading and returns it.
  await teacher.goto('/dashboard');
  await expect(teacher.locator('.dashboard-link')).toContainText(/на проверке: \d/);
  await teacher.getByRole('link', { name: `${title} · №2` }).click();
  await expect(teacher.locator('.snapshot-page')).toContainText('Первая редакция.');
  await expect(teacher.locator('.snapshot-page')).not.toContainText('Правка после сдачи.');
  await teacher.getByRole('button', { name: 'Вернуть на доработку' }).click();
  await expect(teacher.locator('#decision-comment-error')).toContainText('замечанием или комментарием');
  await teacher.getByLabel('К чему замечание').selectOption({ label: 'Сказка › Начало' });
  await teacher.getByLabel('Замечание', { exact: true }).fill('Добавьте издание из фонда ИБЦ.');
  await teacher.getByRole('button', { name: 'Добавить замечание' }).click();
  await expect(teacher.locator('.remark')).toContainText('Добавьте издание из фонда ИБЦ.');
  await teacher.getByRole('button', { name: 'Вернуть на доработку' }).click();
  await expect(teacher.locator('.submission-state')).toContainText('Возвращено на доработку');

  // Мария sees what is asked, answers the remark and revises; Илья submits again.
  await maria.goto('/dashboard');
  await expect(maria.getByText('Замечаний без ответа: 1')).toBeVisible();
  await maria.goto(firstSubmission);
  await expect(maria.locator('.remark-about')).toContainText('Сказка › Начало');
  await maria.getByLabel('Ответ').fill('Добавили «Нанайские сказки», 1985.');
  await maria.getByRole('button', { name: 'Ответить' }).click();
  await expect(maria.locator('.replies')).toContainText('Нанайские сказки');
  await maria.goto(`${projectUrl}/pages/skazka/edit`);
  await maria.getByLabel('Текст', { exact: true }).fill('## Начало\n\nИсправлено: «Нанайские сказки», 1985.\n');
  await maria.getByRole('button', { name: 'Сохранить' }).click();
  await ilya.goto(`${projectUrl}/workflow`);
  await ilya.getByRole('button', { name: /Сдать на проверку этап/ }).click();
  await expect(ilya.getByRole('heading', { level: 1 })).toContainText('Сдача № 3');

  // Accepted; then each stage up to the defence is submitted and accepted.
  const stages = ['Паспорт и план', 'Работа с источниками', 'Продукт и письменная часть', 'Предзащита', 'Защита'];
  for (let i = 0; i < stages.length; i++) {
    if (i > 0) {
      await ilya.goto(`${projectUrl}/workflow`);
      await expect(ilya.locator('.workflow-state')).toContainText(stages[i]);
      await ilya.getByRole('button', { name: /Сдать на проверку этап/ }).click();
    }
    const number = 3 + i;
    await teacher.goto(`${projectUrl}/submissions/${number}`);
    await expect(teacher.getByRole('heading', { level: 1 })).toContainText(stages[i]);
    await teacher.getByRole('button', { name: 'Принять этап' }).click();
    await expect(teacher.locator('.submission-state')).toContainText('Принято');
  }
  await teacher.goto(`${projectUrl}/workflow`);
  await expect(teacher.locator('.workflow-state')).toContainText('проект завершён');

  // The defence: the librarian joins the commission, the teacher fills both cards and a review.
  await teacher.getByRole('link', { name: 'Оценочный лист' }).click();
  await teacher.getByLabel('Добавить в комиссию').selectOption({ label: 'Елена Викторовна Кравцова' });
  await teacher.locator('form', { has: teacher.locator('#commission-member') }).getByRole('button').click();
  await expect(teacher.locator('section[aria-labelledby="commission"] ul')).toContainText('Елена Викторовна Кравцова');
  for (const [pupil, scores] of [['Илья Петров', ['4', '3', '4', '3']], ['Мария Иванова', ['2', '2', '3', '2']]] as const) {
    const card = teacher.locator('fieldset', { has: teacher.locator('legend', { hasText: pupil }) });
    const selects = card.locator('select');
    for (let i = 0; i < scores.length; i++) await selects.nth(i).selectOption(scores[i]);
    await card.getByRole('button', { name: 'Сохранить оценки' }).click();
  }
  await expect(teacher.locator('fieldset', { has: teacher.locator('legend', { hasText: 'Илья Петров' }) })).toContainText('14 / 16');
  await teacher.getByLabel('Текст отзыва (Markdown)').fill('Илья и Мария работали **самостоятельно**.');
  await teacher.getByRole('button', { name: 'Сохранить отзыв' }).click();

  // The protocol: one sheet per pupil; printed without the site's navigation.
  await teacher.getByRole('link', { name: 'Протокол защиты' }).first().click();
  await expect(teacher.locator('.protocol-sheet')).toHaveCount(2);
  await expect(teacher.locator('.protocol-sheet').first()).toContainText('повышенный');
  await teacher.emulateMedia({ media: 'print' });
  await expect(teacher.locator('.site-nav')).toBeHidden();
  await expect(teacher.locator('.protocol-sheet').first()).toBeVisible();
  const breakAfter = await teacher.locator('.protocol-sheet').first().evaluate((el) => getComputedStyle(el).breakAfter);
  expect(breakAfter).toBe('page');
  await teacher.goto(`${projectUrl}/review-letter`);
  await expect(teacher.locator('.protocol-sheet strong')).toHaveText('самостоятельно');
});
