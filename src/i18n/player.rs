//! Texts of the media player, in Simplified Chinese and English: they go
//! with the culture chunk that mounts it, not the main module.

use super::Texts;

/// A text of the player.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlayerText {
    Player,
    Shortcuts,
    Play,
    Pause,
    Back10,
    Forward10,
    Position,
    Speed,
    Quality,
    Auto,
    Subtitles,
    SubtitlesOff,
    Chapters,
    DataSaver,
    PictureInPicture,
    Fullscreen,
    Mute,
    Live,
    GoLive,
    Loading,
    Reconnecting,
    Missing,
    Unavailable,
    NetworkFailed,
    Unsupported,
    ListenInstead,
    Retry,
    NoPlayer,
    AudioOnly,
}

impl Texts for PlayerText {
    fn zh(self) -> &'static str {
        use PlayerText::*;
        match self {
            Player => "播放器",
            Shortcuts => {
                "快捷键：空格或 K 播放和暂停，J、L 或方向键后退和前进 10 秒，F 全屏，M 静音，C 切换字幕。"
            }
            Play => "播放",
            Pause => "暂停",
            Back10 => "后退 10 秒",
            Forward10 => "前进 10 秒",
            Position => "播放进度",
            Speed => "倍速",
            Quality => "清晰度",
            Auto => "自动",
            Subtitles => "字幕",
            SubtitlesOff => "关闭字幕",
            Chapters => "章节",
            DataSaver => "省流量",
            PictureInPicture => "画中画",
            Fullscreen => "全屏",
            Mute => "静音",
            Live => "直播",
            GoLive => "回到直播",
            Loading => "正在加载…",
            Reconnecting => "网络中断，正在重新连接…",
            Missing => "找不到这个节目的音视频文件。",
            Unavailable => "这个节目的音视频暂时不能播放，请稍后再来。",
            NetworkFailed => "网络连接失败，请检查网络后重试。",
            Unsupported => "这个浏览器不能播放这种格式的视频。",
            ListenInstead => "改为只听声音",
            Retry => "重试",
            NoPlayer => "播放器没能加载，请检查网络后重试。",
            AudioOnly => "仅声音",
        }
    }

    fn en(self) -> &'static str {
        use PlayerText::*;
        match self {
            Player => "Player",
            Shortcuts => {
                "Shortcuts: space or K plays and pauses, J, L or the arrow keys go back and forward 10 seconds, F fullscreen, M mute, C subtitles."
            }
            Play => "Play",
            Pause => "Pause",
            Back10 => "Back 10 seconds",
            Forward10 => "Forward 10 seconds",
            Position => "Position",
            Speed => "Speed",
            Quality => "Quality",
            Auto => "Auto",
            Subtitles => "Subtitles",
            SubtitlesOff => "Subtitles off",
            Chapters => "Chapters",
            DataSaver => "Data saver",
            PictureInPicture => "Picture in picture",
            Fullscreen => "Fullscreen",
            Mute => "Mute",
            Live => "LIVE",
            GoLive => "Jump to live",
            Loading => "Loading…",
            Reconnecting => "Connection lost; reconnecting…",
            Missing => "This programme's media cannot be found.",
            Unavailable => "This programme cannot be played just now; please come back later.",
            NetworkFailed => "The network failed. Check the connection and try again.",
            Unsupported => "This browser cannot play this video format.",
            ListenInstead => "Listen to the sound only",
            Retry => "Retry",
            NoPlayer => "The player could not be loaded. Check the connection and try again.",
            AudioOnly => "Sound only",
        }
    }
}
