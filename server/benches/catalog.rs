//! The catalogue at the size of a district: importing 100 000 records (MARCXML generated here
//! from a template with varied titles, authors and years) and searching them with Russian word
//! forms. Run with `cargo bench -p server --bench catalog` (`CATALOG_BENCH_RECORDS` changes the
//! size). The import is timed once, as a librarian meets it; the search by criterion.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

const WORDS: &[&str] = &[
    "история",
    "сказки",
    "орнамент",
    "маяки",
    "река",
    "тайга",
    "море",
    "лес",
    "народы",
    "птицы",
    "рыбы",
    "книга",
    "город",
    "война",
    "музыка",
    "школа",
    "природа",
    "звёзды",
    "остров",
    "дорога",
];
const FAMILIES: &[&str] = &[
    "Иванов",
    "Петров",
    "Сидоров",
    "Арсеньев",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
];

/// `n` MARCXML records with distinct control numbers.
fn generate(n: usize) -> Vec<u8> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n");
    for i in 0..n {
        let a = WORDS[i % WORDS.len()];
        let b = WORDS[(i / WORDS.len()) % WORDS.len()];
        let family = FAMILIES[(i / 7) % FAMILIES.len()];
        let year = 1950 + (i % 75);
        xml.push_str(&format!(
            "<record><leader>00000nam a2200000 a 4500</leader>\
             <controlfield tag=\"001\">bench-{i}</controlfield>\
             <datafield tag=\"100\" ind1=\"1\" ind2=\" \"><subfield code=\"a\">{family}, Пётр Сергеевич</subfield></datafield>\
             <datafield tag=\"245\" ind1=\"1\" ind2=\"0\"><subfield code=\"a\">{a} и {b} : том {i}</subfield><subfield code=\"c\">П. С. {family}</subfield></datafield>\
             <datafield tag=\"260\" ind1=\" \" ind2=\" \"><subfield code=\"a\">Хабаровск :</subfield><subfield code=\"b\">Книжное издательство,</subfield><subfield code=\"c\">{year}</subfield></datafield>\
             <datafield tag=\"300\" ind1=\" \" ind2=\" \"><subfield code=\"a\">{} с.</subfield></datafield>\
             <datafield tag=\"650\" ind1=\" \" ind2=\"7\"><subfield code=\"a\">{b}</subfield></datafield>\
             </record>\n",
            100 + i % 300
        ));
    }
    xml.push_str("</collection>\n");
    xml.into_bytes()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let records: usize = std::env::var("CATALOG_BENCH_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let (pool, school) = runtime.block_on(async {
        let pool = app::db::connect(&url).await.expect("database");
        app::db::migrate(&pool).await.expect("migrations");
        let hash = app::demo::password_hash("bench-password")
            .await
            .expect("hash");
        app::demo::seed_if_empty(&pool, &hash).await.expect("demo");
        let school: String = sqlx::query_scalar("SELECT id FROM schools WHERE slug = 'sosh-5'")
            .fetch_one(&pool)
            .await
            .expect("school");
        (pool, school)
    });
    let file = generate(records);
    let started = Instant::now();
    let (report, _) = runtime
        .block_on(app::catalog::import::import_file(
            &pool,
            Some(&school),
            "bench.xml",
            None,
            &file,
            |_, _| {},
        ))
        .expect("import");
    let took = started.elapsed();
    assert_eq!(report.created, records);
    // For the person running the benchmark (criterion prints the rest).
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stdout(),
        "import: {records} records ({} MB of MARCXML) in {:.1} s ({:.0} records/s)",
        file.len() / 1_000_000,
        took.as_secs_f64(),
        records as f64 / took.as_secs_f64()
    );

    let mut group = c.benchmark_group("catalog");
    group.measurement_time(Duration::from_secs(10));
    // The filters a pupil adds: what can be had now (a copy on the shelf, or online) and an age
    // rating up to 12+. The generated records have no copies, so only online ones pass: the
    // filter reads every candidate's copies.
    let narrowed = app::catalog::db::Filter {
        school_id: Some(&school),
        available: true,
        max_age: Some(12),
        ..Default::default()
    };
    let plain = app::catalog::db::Filter {
        school_id: Some(&school),
        ..Default::default()
    };
    for (query, filter, label) in [
        ("сказкой", plain, ""),
        ("истории орнамента", plain, ""),
        ("Арсеньев 1984", plain, ""),
        ("том 77777", plain, ""),
        ("несуществующее", plain, ""),
        ("сказкой", narrowed, ", available, up to 12+"),
        ("", narrowed, ", available, up to 12+"),
    ] {
        let terms = app::catalog::search::terms(query);
        group.bench_function(format!("search «{query}»{label} in {records}"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    black_box(
                        app::catalog::db::search(&pool, filter, &terms, 25, 0)
                            .await
                            .expect("search"),
                    )
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
