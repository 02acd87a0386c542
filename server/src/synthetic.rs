//! A deterministic synthetic catalog for load tests.
//!
//! Titles are composed from Chinese word lists (about 80%) or English ones,
//! authors from surname and given-name lists, subjects from a list of about
//! 80, years 1950–2025 leaning recent, formats weighted towards books.
//! Some terms are deliberately broad: the subject 文学 is on about half of
//! the records and 的 is in about 40% of the Chinese titles, so a benchmark
//! can check that broad terms stay bounded. The real seed records are
//! included too, so real queries keep working.

use std::collections::HashSet;

use yuelan_api::Format;

use crate::db::{self, BulkInserter, Db, NewRecord};
use crate::error::Error;
use crate::seed::{self, CopyPlanner, Rng};

const ZH_WORDS: &[&str] = &[
    "春天",
    "秋天",
    "夏日",
    "冬雪",
    "故事",
    "岭南",
    "山村",
    "记忆",
    "河流",
    "红色",
    "梦",
    "远方",
    "故乡",
    "城市",
    "村庄",
    "少年",
    "时光",
    "岁月",
    "风景",
    "月光",
    "星空",
    "大海",
    "森林",
    "花开",
    "白云",
    "小镇",
    "老街",
    "祖母",
    "父亲",
    "母亲",
    "孩子",
    "朋友",
    "爱情",
    "青春",
    "人生",
    "世界",
    "历史",
    "文化",
    "传统",
    "艺术",
    "科学",
    "自然",
    "生活",
    "旅行",
    "美食",
    "茶",
    "稻田",
    "荔枝",
    "木棉",
    "榕树",
    "骑楼",
    "粤剧",
    "珠江",
    "西江",
    "北江",
    "南海",
    "丹霞",
    "客家",
    "潮汕",
    "广府",
    "侨乡",
    "碉楼",
    "龙舟",
    "醒狮",
    "灯笼",
    "书院",
    "祠堂",
    "古村",
    "渔港",
    "码头",
    "火车",
    "道路",
    "石桥",
    "灯塔",
    "雨",
    "风",
    "雪",
    "云",
    "山",
    "水",
    "石头",
    "飞鸟",
    "鱼",
    "骏马",
    "猫",
    "树",
    "花",
    "光",
    "影子",
    "声音",
    "颜色",
    "秘密",
    "奇迹",
    "冒险",
    "探索",
    "发现",
    "思考",
    "智慧",
    "勇气",
    "希望",
    "梦想",
    "未来",
    "过去",
    "明天",
    "昨天",
    "夜晚",
    "清晨",
    "黄昏",
    "午后",
    "四季",
    "节日",
    "春节",
    "中秋",
    "端午",
    "家",
    "院子",
    "厨房",
    "书房",
    "图书馆",
    "学校",
    "老师",
    "学生",
    "医生",
    "农民",
    "工人",
    "诗人",
    "画家",
    "英雄",
    "和平",
    "改革",
    "发展",
    "经济",
    "管理",
    "心理",
    "哲学",
    "数学",
    "物理",
    "化学",
    "生物",
    "地理",
    "天文",
    "计算机",
    "编程",
    "网络",
    "数据",
    "人工智能",
    "机器",
    "手工",
    "园艺",
    "烹饪",
    "健康",
    "养生",
    "运动",
    "足球",
    "围棋",
    "书法",
    "绘画",
    "音乐",
    "电影",
    "摄影",
    "建筑",
    "设计",
    "乡村",
    "长征",
    "丝路",
    "长城",
    "黄河",
    "长江",
    "江南",
    "草原",
    "沙漠",
    "高原",
    "海岛",
    "灯火",
    "炊烟",
    "渡口",
    "船",
    "港湾",
    "田野",
    "麦子",
    "果园",
    "蝴蝶",
    "萤火虫",
    "钟声",
    "信",
    "旧事",
    "新路",
    "归途",
    "远行",
    "守望",
    "回声",
    "微光",
    "日记",
    "笔记",
    "手记",
    "札记",
    "简史",
    "指南",
    "入门",
    "原理",
    "方法",
    "艺术史",
    "小史",
    "传奇",
    "往事",
    "人物",
    "群星",
    "山河",
    "家园",
    "百年",
];

const ZH_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史",
    "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫",
    "欧阳", "司马",
];

const ZH_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "华", "建国", "志强", "晓明", "海燕", "文", "红",
    "玉兰", "春生", "国庆", "小红", "思远", "子涵", "雨桐", "浩然", "一鸣", "嘉怡", "家豪", "俊杰",
    "欣怡", "梓轩", "诗琪", "宇航", "晨曦", "若曦", "天佑", "建华", "立新", "卫东", "秋菊", "冬梅",
    "振华", "少华", "永康", "德明", "锦荣", "绍基", "耀祖", "丽珍", "美玲", "淑芬", "惠英", "志华",
    "伟民", "卓然", "子墨", "清扬", "望舒", "南风", "北辰", "知秋", "听雨", "向阳", "长青",
];

const EN_FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Susan",
    "Richard",
    "Jessica",
    "Joseph",
    "Sarah",
    "Thomas",
    "Karen",
    "Charles",
    "Nancy",
    "Emma",
    "Oliver",
    "Sophia",
    "Henry",
    "Alice",
    "George",
    "Grace",
    "Edward",
    "Clara",
    "Arthur",
    "Helen",
    "Daniel",
    "Laura",
    "Peter",
    "Anna",
    "Samuel",
    "Ruth",
    "Martin",
    "Rose",
    "Hugh",
];

const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
    "Walker", "Hall", "Young", "King", "Wright", "Hill", "Green", "Baker", "Adams", "Nelson",
    "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans",
    "Edwards", "Collins", "Stewart", "Morris", "Bennett", "Hughes", "Foster", "Ellis", "Fisher",
];

const EN_ADJ: &[&str] = &[
    "Silent",
    "Golden",
    "Hidden",
    "Last",
    "Little",
    "Lost",
    "Quiet",
    "Red",
    "Secret",
    "Wild",
    "Broken",
    "Distant",
    "Endless",
    "Summer",
    "Winter",
    "Northern",
    "Southern",
    "Ancient",
    "Bright",
    "Dark",
    "Gentle",
    "Burning",
    "Silver",
    "Forgotten",
    "Long",
    "Small",
    "Green",
    "Blue",
    "Hollow",
    "Open",
    "Paper",
    "Stone",
    "Salt",
    "Iron",
    "Bitter",
];

const EN_NOUNS: &[&str] = &[
    "River", "Garden", "House", "City", "Road", "Sea", "Mountain", "Island", "Window", "Letter",
    "Story", "Journey", "Memory", "Dream", "Night", "Morning", "Bridge", "Forest", "Harbor",
    "Village", "Kingdom", "Voyage", "Light", "Shadow", "Song", "Map", "Clock", "Lantern",
    "Orchard", "Valley", "Tower", "Field", "Winter", "Horizon", "Ship", "Library", "Teacher",
    "Daughter", "Son", "Stranger", "Harvest", "Market", "Station", "Compass", "Season",
];

/// Subjects with their classification (中图法) prefix. 文学 is added
/// separately to about half of the records.
const SUBJECTS: &[(&str, &str)] = &[
    ("小说", "I247.5"),
    ("中国文学", "I206"),
    ("外国文学", "I106"),
    ("散文", "I267"),
    ("诗歌", "I227"),
    ("儿童文学", "I287"),
    ("童话", "I287.7"),
    ("绘本", "I287.8"),
    ("历史", "K20"),
    ("中国历史", "K204"),
    ("世界历史", "K10"),
    ("地方志", "K296.5"),
    ("岭南文化", "K296.5"),
    ("广东", "K296.5"),
    ("粤剧", "J825"),
    ("民俗", "K892"),
    ("传记", "K820"),
    ("回忆录", "K825"),
    ("哲学", "B2"),
    ("心理学", "B84"),
    ("社会学", "C91"),
    ("经济", "F12"),
    ("管理", "C93"),
    ("金融", "F83"),
    ("法律", "D92"),
    ("政治", "D6"),
    ("教育", "G4"),
    ("语言学", "H0"),
    ("英语学习", "H31"),
    ("艺术", "J0"),
    ("音乐", "J6"),
    ("美术", "J2"),
    ("书法", "J292"),
    ("摄影", "J4"),
    ("电影", "J9"),
    ("建筑", "TU"),
    ("设计", "J06"),
    ("旅游", "K928.9"),
    ("地理", "K9"),
    ("烹饪", "TS972"),
    ("健康", "R16"),
    ("养生", "R212"),
    ("中医", "R2"),
    ("医学", "R"),
    ("体育", "G8"),
    ("科普", "N49"),
    ("天文", "P1"),
    ("物理", "O4"),
    ("数学", "O1"),
    ("化学", "O6"),
    ("生物", "Q"),
    ("环境保护", "X"),
    ("农业", "S"),
    ("园艺", "S6"),
    ("计算机", "TP3"),
    ("编程", "TP31"),
    ("人工智能", "TP18"),
    ("互联网", "TP393"),
    ("工程技术", "T"),
    ("军事", "E"),
    ("宗教", "B9"),
    ("科幻", "I247.5"),
    ("推理", "I247.5"),
    ("武侠", "I247.5"),
    ("言情", "I247.5"),
    ("青春文学", "I247.7"),
    ("职场", "C913"),
    ("励志", "B848"),
    ("家庭教育", "G78"),
    ("育儿", "TS976"),
    ("少儿科普", "Z228"),
    ("漫画", "J228"),
    ("时事", "D6"),
    ("乡村振兴", "F32"),
    ("非物质文化遗产", "G12"),
    ("客家文化", "K28"),
    ("潮汕文化", "K296.5"),
    ("华侨", "D63"),
    ("茶文化", "TS971"),
];

const ZH_PUBLISHERS: &[(&str, &str)] = &[
    ("人民文学出版社", "北京"),
    ("作家出版社", "北京"),
    ("广东人民出版社", "广州"),
    ("花城出版社", "广州"),
    ("中华书局", "北京"),
    ("商务印书馆", "北京"),
    ("生活·读书·新知三联书店", "北京"),
    ("译林出版社", "南京"),
    ("上海译文出版社", "上海"),
    ("广东科技出版社", "广州"),
    ("新世纪出版社", "广州"),
    ("岭南美术出版社", "广州"),
    ("南方日报出版社", "广州"),
    ("暨南大学出版社", "广州"),
    ("中山大学出版社", "广州"),
    ("接力出版社", "南宁"),
    ("二十一世纪出版社", "南昌"),
    ("长江文艺出版社", "武汉"),
    ("湖南文艺出版社", "长沙"),
    ("浙江文艺出版社", "杭州"),
    ("四川人民出版社", "成都"),
    ("北京大学出版社", "北京"),
    ("清华大学出版社", "北京"),
    ("科学出版社", "北京"),
    ("中信出版社", "北京"),
    ("广东教育出版社", "广州"),
];

const EN_PUBLISHERS: &[(&str, &str)] = &[
    ("Penguin Books", "London"),
    ("Vintage", "New York"),
    ("HarperCollins", "New York"),
    ("Faber & Faber", "London"),
    ("Oxford University Press", "Oxford"),
    ("Bloomsbury", "London"),
    ("Random House", "New York"),
];

/// Records in a generated catalog.
#[derive(Clone, Copy, Debug)]
pub struct GenerateStats {
    pub seed_records: usize,
    pub synthetic_records: usize,
    pub items: usize,
}

fn zh_title(rng: &mut Rng) -> String {
    let a = *rng.pick(ZH_WORDS);
    let b = *rng.pick(ZH_WORDS);
    match rng.below(100) {
        0..40 => format!("{a}的{b}"),
        40..62 => format!("{a}{b}"),
        62..72 => format!("{a}与{b}"),
        72..80 => format!("我的{a}"),
        80..88 => format!("{a}{b}{}", rng.pick(ZH_WORDS)),
        88..94 => format!("{a}之{b}"),
        _ => a.to_owned(),
    }
}

fn en_title(rng: &mut Rng) -> String {
    let adj = *rng.pick(EN_ADJ);
    let n1 = *rng.pick(EN_NOUNS);
    let n2 = *rng.pick(EN_NOUNS);
    match rng.below(5) {
        0 => format!("The {adj} {n1}"),
        1 => format!("{n1} of the {adj} {n2}"),
        2 => format!("The {n1} and the {n2}"),
        3 => format!("A {n1} in {adj} {n2}"),
        _ => format!("{adj} {n1}s"),
    }
}

fn zh_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(ZH_SURNAMES), rng.pick(ZH_GIVEN))
}

fn en_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(EN_FIRST), rng.pick(EN_LAST))
}

fn isbn13(body12: &str) -> String {
    let sum: u32 = body12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body12}{}", (10 - sum % 10) % 10)
}

/// One synthetic record; `n` is its number, used for ISBNs.
pub fn record(rng: &mut Rng, n: u64, taken_isbns: &HashSet<String>) -> NewRecord {
    let english = rng.chance(0.2);
    let format = match rng.below(100) {
        0..82 => Format::Book,
        82..88 => Format::Audiobook,
        88..92 => Format::Dvd,
        _ => Format::Magazine,
    };
    let mut title = if english {
        en_title(rng)
    } else {
        zh_title(rng)
    };
    if format == Format::Magazine {
        title = if english {
            format!("{} Monthly", rng.pick(EN_NOUNS))
        } else {
            format!(
                "{}{}",
                rng.pick(ZH_WORDS),
                rng.pick(&["月刊", "画报", "杂志", "周刊"])
            )
        };
    }
    let author_count = if rng.chance(0.15) { 2 } else { 1 };
    let authors: Vec<String> = if format == Format::Magazine {
        Vec::new()
    } else {
        (0..author_count)
            .map(|_| if english { en_name(rng) } else { zh_name(rng) })
            .collect()
    };
    let mut subjects: Vec<String> = Vec::new();
    if rng.chance(0.5) {
        subjects.push("文学".to_owned());
    }
    let (main, class) = *rng.pick(SUBJECTS);
    subjects.push(main.to_owned());
    if rng.chance(0.4) {
        let (other, _) = *rng.pick(SUBJECTS);
        if !subjects.iter().any(|s| s == other) {
            subjects.push(other.to_owned());
        }
    }
    let (publisher, place) = if english {
        *rng.pick(EN_PUBLISHERS)
    } else {
        *rng.pick(ZH_PUBLISHERS)
    };
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let year = 2025 - (75.0 * u * u) as i32;
    let isbn = matches!(format, Format::Book | Format::Audiobook)
        .then(|| isbn13(&format!("9791{:08}", n % 100_000_000)))
        .filter(|i| !taken_isbns.contains(i));
    let extent = Some(match format {
        Format::Audiobook => format!("{} h {} min", rng.range(2, 20), rng.range(0, 59)),
        Format::Dvd => format!("{} min", rng.range(60, 180)),
        _ => format!("{} 页", rng.range(48, 640)),
    });
    let series = rng.chance(0.05).then(|| {
        if english {
            format!("{} Library", rng.pick(EN_NOUNS))
        } else {
            format!("{}文库", rng.pick(ZH_WORDS))
        }
    });
    let summary = (!english && rng.chance(0.3)).then(|| {
        format!(
            "本书讲述了关于{}与{}的故事。",
            rng.pick(ZH_WORDS),
            rng.pick(ZH_WORDS)
        )
    });
    NewRecord {
        title,
        subtitle: None,
        authors,
        publisher: Some(publisher.to_owned()),
        publication_place: Some(place.to_owned()),
        year: Some(year),
        isbn,
        format: Some(format),
        language: if english { "en" } else { "zh" }.to_owned(),
        subjects,
        series,
        extent,
        summary,
        classification: Some(if english && class.starts_with('I') {
            "I561.45".to_owned()
        } else {
            class.to_owned()
        }),
    }
}

/// Fills an empty database with the seed libraries, the seed records and
/// `n` synthetic records, all with copies, in one transaction.
pub fn generate(db: &Db, n: usize) -> Result<GenerateStats, Error> {
    let libs = seed::libraries()?;
    let seed_records = seed::records()?;
    let taken: HashSet<String> = seed_records.iter().filter_map(|r| r.isbn.clone()).collect();
    db.with_conn(|conn| {
        if db::count_records(conn)? > 0 {
            return Err(Error::Seed("generate needs an empty catalog".into()));
        }
        // A fresh file: a rollback journal and no syncing are safe and much
        // faster for one big transaction; WAL comes back afterwards.
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
        )?;
        seed::insert_libraries(conn, &libs)?;
        let libs = db::libraries(conn)?;
        let mut planner = CopyPlanner::new(&libs, seed::today_days(), 8);
        let mut items = 0usize;
        let tx = conn.transaction()?;
        {
            let mut ins = BulkInserter::new(&tx);
            let mut rng = Rng::new(0x5EED_0001);
            for r in &seed_records {
                let id = ins.record(r)?;
                for item in planner.plan(r, &mut rng) {
                    ins.item(id, &item)?;
                    items += 1;
                }
            }
            planner.max_copies = 6;
            let mut rng = Rng::new(0x5157_4E7E_71C0);
            for i in 0..n {
                let r = record(&mut rng, i as u64, &taken);
                let id = ins.record(&r)?;
                for item in planner.plan(&r, &mut rng) {
                    ins.item(id, &item)?;
                    items += 1;
                }
            }
        }
        tx.commit()?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA optimize;",
        )?;
        Ok(GenerateStats { seed_records: seed_records.len(), synthetic_records: n, items })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbns_have_valid_check_digits() {
        let isbn = isbn13("979100000042");
        assert_eq!(
            yuelan_api::normalize_isbn(&isbn).as_deref(),
            Some(isbn.as_str())
        );
    }

    #[test]
    fn records_are_deterministic_and_plausible() {
        let taken = HashSet::new();
        let mut a = Rng::new(1);
        let mut b = Rng::new(1);
        let mut broad = 0;
        for i in 0..2000 {
            let r = record(&mut a, i, &taken);
            assert_eq!(r.title, record(&mut b, i, &taken).title);
            assert!(!r.title.is_empty());
            assert!((1950..=2025).contains(&r.year.unwrap_or(0)));
            broad += usize::from(r.subjects.iter().any(|s| s == "文学"));
        }
        assert!((800..1200).contains(&broad), "文学 on {broad} of 2000");
    }
}
