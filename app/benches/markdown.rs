//! Cost of saving a page: render + sanitize a 50 KiB Russian Markdown page.
//!
//! Run with `cargo bench -p app --features ssr --bench markdown`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const UPLOAD: &str = "0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";

fn project_images(src: &str) -> Option<String> {
    (src == "карта.jpg").then(|| format!("/files/{UPLOAD}"))
}

/// A pupil's project page of about `kb` KiB: headings, lists, a task list, a table, an image,
/// links, a quote, code and a footnote per chapter.
fn sample_page(kb: usize) -> String {
    let mut page = String::from("# Исследовательский проект: вода в нашем городе\n\n");
    let mut section = 1;
    while page.len() < kb * 1024 {
        page.push_str(&format!(
            "## Глава {section}. Наблюдения\n\n\
             В этой главе мы **описываем** опыт №{section}: пробы воды из *реки*, \
             из колодца и из-под крана. Подробности в [отчёте](../отчёт-{section}) и на \
             <https://ru.wikipedia.org/wiki/Вода>.[^{section}]\n\n\
             ### Методика\n\n\
             1. Набрать пробу в чистую банку.\n\
             2. Измерить `pH` полоской.\n\
             3. Записать ~~результат~~ значение в таблицу.\n\n\
             - [x] проба из реки\n- [ ] проба из колодца\n\n\
             | Источник | pH | Прозрачность |\n|:---|:---:|---:|\n\
             | Река | 7,2 | средняя |\n| Колодец | 6,8 | высокая |\n| Кран | 7,0 | высокая |\n\n\
             ![Карта мест отбора](карта.jpg)\n\n\
             > Вода — самое распространённое вещество на Земле, но чистой воды мало.\n\n\
             ```\nсреднее = (7.2 + 6.8 + 7.0) / 3\n```\n\n\
             [^{section}]: Данные учителя химии, {section} октября.\n\n"
        ));
        section += 1;
    }
    page
}

fn render_page(c: &mut Criterion) {
    let page = sample_page(50);
    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("render + sanitize a 50 KB page", |b| {
        b.iter(|| app::markdown::render(black_box(&page), &project_images))
    });
    group.finish();
}

criterion_group!(benches, render_page);
criterion_main!(benches);
