//! Texts of the digital library card, and of the share button and QR code
//! of a page's link (built with the card: both draw QR codes), in
//! Simplified Chinese and English.

use super::Texts;

/// A text of the digital library card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardText {
    CardTitle,
    /// The name line's label.
    Holder,
    /// The card number's label.
    CardNumber,
    /// The barcode image, for screen readers.
    BarcodeLabel,
    /// The QR code image, for screen readers.
    QrLabel,
    BrightnessHint,
    /// Shown while the Screen Wake Lock is held.
    ScreenStaysOn,
    /// The card comes from this device's storage, not from the server.
    ShownFromDevice,
    /// Removes the stored card from this device.
    ForgetOnDevice,
    /// Signed out and no card on this device.
    SignInToShow,
    SignIn,
    /// The session could not be checked and no card is on this device.
    CannotCheck,
}

impl Texts for CardText {
    fn zh(self) -> &'static str {
        use CardText::*;
        match self {
            CardTitle => "电子读者证",
            Holder => "持证人",
            CardNumber => "证号",
            BarcodeLabel => "读者证条形码",
            QrLabel => "读者证二维码",
            BrightnessHint => "扫码前请把屏幕亮度调到最高。",
            ScreenStaysOn => "出示读者证时，屏幕保持常亮。",
            ShownFromDevice => "这是保存在本机上的读者证，没有网络也能出示。",
            ForgetOnDevice => "从本机删除读者证",
            SignInToShow => "登录后即可出示电子读者证。登录一次后，没有网络也能出示。",
            SignIn => "登录",
            CannotCheck => "暂时无法确认您的登录状态。",
        }
    }

    fn en(self) -> &'static str {
        use CardText::*;
        match self {
            CardTitle => "Library card",
            Holder => "Card holder",
            CardNumber => "Card number",
            BarcodeLabel => "Library card barcode",
            QrLabel => "Library card QR code",
            BrightnessHint => "Turn your screen brightness up before the card is scanned.",
            ScreenStaysOn => "The screen stays on while the card is shown.",
            ShownFromDevice => "This card is kept on this device, so it shows without a network.",
            ForgetOnDevice => "Remove the card from this device",
            SignInToShow => {
                "Sign in to show your library card. Once you have, it shows without a network too."
            }
            SignIn => "Sign in",
            CannotCheck => "We could not check whether you are signed in.",
        }
    }
}

/// A text of the share button and the QR code of a page's link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShareText {
    Share,
    /// Announced once the link is on the clipboard.
    LinkCopied,
    /// Shown when the link could not be copied by the app.
    CopyBelow,
    /// The read-only field holding the link.
    LinkLabel,
    /// The disclosure of the link's QR code.
    ScanToOpen,
    /// The QR code image, for screen readers.
    LinkQrLabel,
}

impl Texts for ShareText {
    fn zh(self) -> &'static str {
        use ShareText::*;
        match self {
            Share => "分享",
            LinkCopied => "链接已复制。",
            CopyBelow => "请复制下面的链接。",
            LinkLabel => "本页链接",
            ScanToOpen => "用另一部手机扫码打开",
            LinkQrLabel => "本页链接的二维码",
        }
    }

    fn en(self) -> &'static str {
        use ShareText::*;
        match self {
            Share => "Share",
            LinkCopied => "Link copied.",
            CopyBelow => "Copy the link below.",
            LinkLabel => "Link to this page",
            ScanToOpen => "Scan to open on another phone",
            LinkQrLabel => "QR code of this page's link",
        }
    }
}
