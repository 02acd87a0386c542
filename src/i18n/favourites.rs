//! Texts of favourite lists, in Simplified Chinese and English.
//!
//! The result toggle is in the main module: its one text is
//! [`toggle_label`], a function of its own, so that the strings of
//! [`FavText`] (used only by the favourites' chunks) stay in the chunks.

use super::{Locale, Texts};

/// A text of favourite lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FavText {
    ListsTitle,
    ListsIntro,
    SignInPrompt,
    SignIn,
    NoLists,
    NoListsHelp,
    DefaultListName,
    NewList,
    NewListPlaceholder,
    Create,
    NameHelp,
    ErrNameEmpty,
    ErrNameTooLong,
    ErrName,
    NotInAnyList,
    Rename,
    RenameLabel,
    Save,
    Cancel,
    Delete,
    ConfirmDelete,
    Share,
    ShareHelp,
    Shared,
    NotShared,
    ShareLink,
    CopyLink,
    Copied,
    CopyFailed,
    Working,
    ChooseLists,
    ChooseListsFor,
    Done,
    SeeMyLists,
    AddToList,
    InYourLists,
    ErrListLimit,
    ErrListNotFound,
    ErrSharedNotFound,
    ErrSignInNeeded,
    BackToLists,
    EmptyList,
    Remove,
    Undo,
    SharedReadOnly,
    ListEntries,
}

impl Texts for FavText {
    fn zh(self) -> &'static str {
        use FavText::*;
        match self {
            ListsTitle => "我的收藏",
            ListsIntro => "把想读、想看的书刊放进收藏夹，也可以把收藏夹分享给家人朋友。",
            SignInPrompt => "登录后查看和管理您的收藏夹。",
            SignIn => "登录",
            NoLists => "还没有收藏夹",
            NoListsHelp => {
                "在检索结果或图书详情页点心形按钮，就会收进“想读”。也可以在下面新建一个收藏夹。"
            }
            DefaultListName => "想读",
            NewList => "新建收藏夹",
            NewListPlaceholder => "例如：给孩子的书",
            Create => "创建",
            NameHelp => "名称 1 至 40 个字。",
            ErrNameEmpty => "请填写收藏夹名称。",
            ErrNameTooLong => "名称最多 40 个字，请缩短。",
            ErrName => "这个名称不能使用：名称须为 1 至 40 个字。",
            NotInAnyList => "不在任何收藏夹中",
            Rename => "重命名",
            RenameLabel => "新名称",
            Save => "保存",
            Cancel => "取消",
            Delete => "删除",
            ConfirmDelete => "确认删除",
            Share => "通过链接分享",
            ShareHelp => "开启后，任何拿到链接的人都能查看这个收藏夹，但不能修改。",
            Shared => "已分享",
            NotShared => "未分享",
            ShareLink => "分享链接",
            CopyLink => "复制链接",
            Copied => "链接已复制，可以粘贴发送给他人。",
            CopyFailed => "无法自动复制。请长按或选中上面的链接，手动复制。",
            Working => "正在保存…",
            ChooseLists => "选择收藏夹",
            ChooseListsFor => "放进哪些收藏夹：",
            Done => "完成",
            SeeMyLists => "查看我的收藏",
            AddToList => "加入收藏",
            InYourLists => "已收藏",
            ErrListLimit => "已达上限：最多 20 个收藏夹，每个收藏夹最多 500 项。",
            ErrListNotFound => "找不到这个收藏夹，它可能已被删除。",
            ErrSharedNotFound => "这个收藏夹不存在，或者已经停止分享。",
            ErrSignInNeeded => "登录后才能收藏。",
            BackToLists => "返回我的收藏",
            EmptyList => "这个收藏夹还是空的。",
            Remove => "移除",
            Undo => "撤销",
            SharedReadOnly => "这是别人分享的收藏夹，只能查看。",
            ListEntries => "收藏的书刊",
        }
    }

    fn en(self) -> &'static str {
        use FavText::*;
        match self {
            ListsTitle => "My lists",
            ListsIntro => {
                "Keep the titles you want to read in lists, and share a list with family and friends."
            }
            SignInPrompt => "Sign in to see and manage your lists.",
            SignIn => "Sign in",
            NoLists => "No lists yet",
            NoListsHelp => {
                "Tap the heart beside a search result or on a title's page to keep it in “Want to read”, or create a list below."
            }
            DefaultListName => "Want to read",
            NewList => "New list",
            NewListPlaceholder => "e.g. Books for the children",
            Create => "Create",
            NameHelp => "1 to 40 characters.",
            ErrNameEmpty => "Please enter a name for the list.",
            ErrNameTooLong => "A name has at most 40 characters; please shorten it.",
            ErrName => "This name cannot be used: a name has 1 to 40 characters.",
            NotInAnyList => "Not in any list",
            Rename => "Rename",
            RenameLabel => "New name",
            Save => "Save",
            Cancel => "Cancel",
            Delete => "Delete",
            ConfirmDelete => "Delete the list",
            Share => "Share by link",
            ShareHelp => "When on, anyone with the link can see this list, but not change it.",
            Shared => "Shared",
            NotShared => "Not shared",
            ShareLink => "Link to share",
            CopyLink => "Copy link",
            Copied => "Link copied: paste it into a message to share it.",
            CopyFailed => "Could not copy by itself. Select the link above and copy it.",
            Working => "Saving…",
            ChooseLists => "Choose lists",
            ChooseListsFor => "Keep it in these lists:",
            Done => "Done",
            SeeMyLists => "See my lists",
            AddToList => "Add to a list",
            InYourLists => "In your lists",
            ErrListLimit => "Limit reached: at most 20 lists, and 500 titles in a list.",
            ErrListNotFound => "This list could not be found; it may have been deleted.",
            ErrSharedNotFound => "This list does not exist, or is no longer shared.",
            ErrSignInNeeded => "Sign in to keep lists.",
            BackToLists => "Back to my lists",
            EmptyList => "This list is empty.",
            Remove => "Remove",
            Undo => "Undo",
            SharedReadOnly => "A list someone shared: you can look, not change it.",
            ListEntries => "Titles in the list",
        }
    }
}

/// The accessible name of the favourite toggle beside a result:
/// "把《活着》加入收藏" / "Add 活着 to a list", and once it is in a list
/// "《活着》已收藏" / "活着 is in a list". In the main module: keep it small.
pub fn toggle_label(locale: Locale, saved: bool, title: &str) -> String {
    match (locale, saved) {
        (Locale::Zh, false) => ["把《", title, "》加入收藏"].concat(),
        (Locale::Zh, true) => ["《", title, "》已收藏"].concat(),
        (Locale::English, false) => ["Add ", title, " to a list"].concat(),
        (Locale::English, true) => [title, " is in a list"].concat(),
    }
}

/// "3 项" / "3 titles".
pub fn titles_count(locale: Locale, n: usize) -> String {
    let s = n.to_string();
    match locale {
        Locale::Zh => [&s, " 项"].concat(),
        Locale::English if n == 1 => "1 title".to_owned(),
        Locale::English => [&s, " titles"].concat(),
    }
}

/// `name` in quotation marks: “想读”.
fn quoted(name: &str) -> String {
    ["“", name, "”"].concat()
}

/// "已加入“想读”" / "Added to “想读”".
pub fn added_to(locale: Locale, list: &str) -> String {
    match locale {
        Locale::Zh => ["已加入", &quoted(list)].concat(),
        Locale::English => ["Added to ", &quoted(list)].concat(),
    }
}

/// "已从“想读”移除" / "Removed from “想读”".
pub fn removed_from(locale: Locale, list: &str) -> String {
    match locale {
        Locale::Zh => ["已从", &quoted(list), "移除"].concat(),
        Locale::English => ["Removed from ", &quoted(list)].concat(),
    }
}

/// "已移除《活着》" / "Removed 活着", after taking an entry out of a list.
pub fn removed_title(locale: Locale, title: &str) -> String {
    match locale {
        Locale::Zh => ["已移除《", title, "》"].concat(),
        Locale::English => ["Removed ", title].concat(),
    }
}

/// The hidden part of a Remove button's name: "《活着》" / "活着", so that
/// the button reads "移除《活着》" / "Remove 活着".
pub fn remove_target(locale: Locale, title: &str) -> String {
    match locale {
        Locale::Zh => ["《", title, "》"].concat(),
        Locale::English => [" ", title].concat(),
    }
}

/// "收藏于：想读、送给妈妈" / "In: 想读; For mum".
pub fn in_lists(locale: Locale, names: &[&str]) -> String {
    match locale {
        Locale::Zh => ["收藏于：", &names.join("、")].concat(),
        Locale::English => ["In: ", &names.join("; ")].concat(),
    }
}

/// "已创建“想读”" / "Created “想读”".
pub fn created(locale: Locale, list: &str) -> String {
    match locale {
        Locale::Zh => ["已创建", &quoted(list)].concat(),
        Locale::English => ["Created ", &quoted(list)].concat(),
    }
}

/// "已删除“想读”" / "Deleted “想读”".
pub fn deleted(locale: Locale, list: &str) -> String {
    match locale {
        Locale::Zh => ["已删除", &quoted(list)].concat(),
        Locale::English => ["Deleted ", &quoted(list)].concat(),
    }
}

/// The warning before a list is deleted, with what goes with it.
pub fn delete_warning(locale: Locale, list: &str, n: usize) -> String {
    let name = quoted(list);
    match locale {
        Locale::Zh if n == 0 => ["删除", &name, "？删除后无法恢复。"].concat(),
        Locale::Zh => [
            "删除",
            &name,
            "？其中的 ",
            &n.to_string(),
            " 项收藏会一并删除，且无法恢复。",
        ]
        .concat(),
        Locale::English if n == 0 => ["Delete ", &name, "? This cannot be undone."].concat(),
        Locale::English if n == 1 => [
            "Delete ",
            &name,
            "? The title in it goes too, and this cannot be undone.",
        ]
        .concat(),
        Locale::English => [
            "Delete ",
            &name,
            "? The ",
            &n.to_string(),
            " titles in it go too, and this cannot be undone.",
        ]
        .concat(),
    }
}

/// "陈 分享的收藏夹" / "Shared by 陈".
pub fn shared_by(locale: Locale, owner: &str) -> String {
    match locale {
        Locale::Zh => [owner, " 分享的收藏夹"].concat(),
        Locale::English => ["Shared by ", owner].concat(),
    }
}

/// "收藏于 2026-11-29" / "Added 2026-11-29".
pub fn added_on(locale: Locale, date: &str) -> String {
    match locale {
        Locale::Zh => ["收藏于 ", date].concat(),
        Locale::English => ["Added ", date].concat(),
    }
}

/// The hidden part of a list's Rename and Delete buttons' names: "“想读”"
/// (English: " “想读”"), so that each reads "重命名“想读”" / "Rename “想读”"
/// and is told apart from the same button of the other lists.
pub fn list_target(locale: Locale, list: &str) -> String {
    let sep = if locale.is_english() { " " } else { "" };
    [sep, &quoted(list)].concat()
}

/// "已改名为“想读”" / "Renamed to “想读”".
pub fn renamed(locale: Locale, list: &str) -> String {
    match locale {
        Locale::Zh => ["已改名为", &quoted(list)].concat(),
        Locale::English => ["Renamed to ", &quoted(list)].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_labels_name_the_title_and_the_state() {
        assert_eq!(
            toggle_label(Locale::Zh, false, "活着"),
            "把《活着》加入收藏"
        );
        assert_eq!(toggle_label(Locale::Zh, true, "活着"), "《活着》已收藏");
        assert_eq!(
            toggle_label(Locale::English, false, "活着"),
            "Add 活着 to a list"
        );
        assert_eq!(
            toggle_label(Locale::English, true, "活着"),
            "活着 is in a list"
        );
    }

    #[test]
    fn counts_and_messages_in_both_languages() {
        assert_eq!(titles_count(Locale::Zh, 3), "3 项");
        assert_eq!(titles_count(Locale::English, 1), "1 title");
        assert_eq!(titles_count(Locale::English, 0), "0 titles");
        assert_eq!(added_to(Locale::Zh, "想读"), "已加入“想读”");
        assert_eq!(removed_from(Locale::English, "想读"), "Removed from “想读”");
        assert_eq!(
            in_lists(Locale::Zh, &["想读", "送妈妈"]),
            "收藏于：想读、送妈妈"
        );
        assert_eq!(in_lists(Locale::English, &["a, b", "c"]), "In: a, b; c");
        assert_eq!(shared_by(Locale::Zh, "陈"), "陈 分享的收藏夹");
        assert_eq!(shared_by(Locale::English, "Emily"), "Shared by Emily");
        assert_eq!(
            delete_warning(Locale::Zh, "想读", 3),
            "删除“想读”？其中的 3 项收藏会一并删除，且无法恢复。"
        );
        assert_eq!(
            delete_warning(Locale::English, "x", 1),
            "Delete “x”? The title in it goes too, and this cannot be undone."
        );
        assert_eq!(
            delete_warning(Locale::English, "x", 4),
            "Delete “x”? The 4 titles in it go too, and this cannot be undone."
        );
        assert_eq!(
            delete_warning(Locale::English, "x", 0),
            "Delete “x”? This cannot be undone."
        );
        assert_eq!(
            [
                FavText::Rename.text(Locale::Zh),
                &list_target(Locale::Zh, "想读")
            ]
            .concat(),
            "重命名“想读”"
        );
        assert_eq!(
            [
                FavText::Delete.text(Locale::English),
                &list_target(Locale::English, "x")
            ]
            .concat(),
            "Delete “x”"
        );
        assert_eq!(renamed(Locale::Zh, "送妈妈"), "已改名为“送妈妈”");
        assert_eq!(
            [
                FavText::Remove.text(Locale::Zh),
                &remove_target(Locale::Zh, "活着")
            ]
            .concat(),
            "移除《活着》"
        );
        assert_eq!(
            [
                FavText::Remove.text(Locale::English),
                &remove_target(Locale::English, "活着")
            ]
            .concat(),
            "Remove 活着"
        );
    }

    #[test]
    fn the_default_list_name_is_in_each_language() {
        assert_eq!(FavText::DefaultListName.text(Locale::Zh), "想读");
        assert_eq!(
            FavText::DefaultListName.text(Locale::English),
            "Want to read"
        );
    }
}
