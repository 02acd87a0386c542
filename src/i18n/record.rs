//! Texts of the record page, in Simplified Chinese and English: they go
//! with its chunk, not the main module.

use super::Texts;

/// A text of the record page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordText {
    BackToResults,
    Details,
    Authors,
    Publisher,
    Place,
    Year,
    Isbn,
    Format,
    Language,
    Extent,
    Series,
    Classification,
    Subjects,
    Summary,
    Holdings,
    Branch,
    CallNumber,
    ShelfLocation,
    Status,
    DueDate,
    NoHoldings,
}

impl Texts for RecordText {
    fn zh(self) -> &'static str {
        use RecordText::*;
        match self {
            BackToResults => "返回检索结果",
            Details => "书目信息",
            Authors => "责任者",
            Publisher => "出版者",
            Place => "出版地",
            Year => "出版年",
            Isbn => "ISBN",
            Format => "文献类型",
            Language => "语种",
            Extent => "载体形态",
            Series => "丛书",
            Classification => "中图分类号",
            Subjects => "主题",
            Summary => "内容简介",
            Holdings => "馆藏信息",
            Branch => "馆点",
            CallNumber => "索书号",
            ShelfLocation => "馆藏位置",
            Status => "状态",
            DueDate => "应还日期",
            NoHoldings => "各馆暂无这本书的馆藏。",
        }
    }

    fn en(self) -> &'static str {
        use RecordText::*;
        match self {
            BackToResults => "Back to results",
            Details => "Details",
            Authors => "Author",
            Publisher => "Publisher",
            Place => "Place",
            Year => "Year",
            Isbn => "ISBN",
            Format => "Format",
            Language => "Language",
            Extent => "Extent",
            Series => "Series",
            Classification => "Classification",
            Subjects => "Subjects",
            Summary => "Summary",
            Holdings => "Copies",
            Branch => "Library",
            CallNumber => "Call number",
            ShelfLocation => "Shelf",
            Status => "Status",
            DueDate => "Due",
            NoHoldings => "No library holds this title.",
        }
    }
}
