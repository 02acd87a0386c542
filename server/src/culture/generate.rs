//! `yuelan-server make-media --media DIR`: generates the media of every
//! asset of [`super::media::ASSETS`] with ffmpeg (Debian's package), small
//! and quick: seconds-long clips of test patterns and tones (narration by
//! espeak-ng where it is installed), 426×240 and 256×144 H.264
//! (constrained baseline) with AAC, cut into 2-second MPEG-TS segments
//! with keyframes forced on the boundaries; one audio-only asset with a
//! whole `.m4a`; a poster still per asset. Assets are made side by side
//! in temporary folders and renamed into place when whole; a stamp file
//! says the directory is complete, so a second run does nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use yuelan_api::culture::MediaKind;

use super::media::{ASSETS, Asset, RenditionSpec};

/// Bumped whenever the assets or their encoding change, so that old
/// directories are made again.
pub const MEDIA_VERSION: u32 = 1;

/// The stamp of a complete directory.
pub fn stamp_path(dir: &Path) -> PathBuf {
    dir.join(format!(".yuelan-media-v{MEDIA_VERSION}"))
}

/// Whether `dir` holds every asset of this version.
pub fn complete(dir: &Path) -> bool {
    stamp_path(dir).is_file()
        && ASSETS
            .iter()
            .all(|a| super::store::media_available(Some(dir), a))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| {
        format!(
            "cannot run {:?}: {e} (install ffmpeg: cargo xtask setup)",
            cmd.get_program()
        )
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{:?} failed: {}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .join(" | ")
        ))
    }
}

fn ffmpeg() -> Command {
    let mut c = Command::new("ffmpeg");
    c.args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]);
    c
}

/// A lavfi video source at a size and rate.
fn video_source(source: &str, width: u32, height: u32) -> String {
    let sep = if source.contains('=') { ':' } else { '=' };
    format!("{source}{sep}size={width}x{height}:rate=12")
}

/// The audio input of an asset: narration when espeak-ng can speak it,
/// else the lavfi tone.
fn audio_args(asset: &Asset, tmp: &Path) -> Vec<String> {
    if let Some((voice, words)) = asset.source.narration {
        let wav = tmp.join("narration.wav");
        let spoke = Command::new("espeak-ng")
            .args(["-v", voice, "-s", "150", "-w"])
            .arg(&wav)
            .arg(words)
            .output()
            .is_ok_and(|o| o.status.success());
        if spoke {
            return vec!["-i".into(), wav.to_string_lossy().into_owned()];
        }
    }
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        asset.source.audio.into(),
    ]
}

fn hls_args(asset: &Asset, out: &Path) -> Vec<String> {
    vec![
        "-muxdelay".into(),
        "0".into(),
        "-muxpreload".into(),
        "0".into(),
        "-f".into(),
        "hls".into(),
        "-hls_time".into(),
        asset.segment_seconds.to_string(),
        "-hls_playlist_type".into(),
        "vod".into(),
        "-hls_segment_filename".into(),
        out.join("seg_%03d.ts").to_string_lossy().into_owned(),
        out.join("index.m3u8").to_string_lossy().into_owned(),
    ]
}

fn rendition(asset: &Asset, r: &RenditionSpec, tmp: &Path, audio: &[String]) -> Result<(), String> {
    let out = tmp.join(r.name);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let seconds = asset.seconds.to_string();
    let gop = (12 * asset.segment_seconds).to_string();
    let mut c = ffmpeg();
    if asset.kind == MediaKind::Video {
        c.args(["-f", "lavfi", "-i"])
            .arg(video_source(asset.source.video, r.width, r.height));
    }
    c.args(audio).args(["-t", &seconds]);
    if asset.kind == MediaKind::Video {
        c.args(["-af", "apad", "-c:v", "libx264", "-preset", "veryfast"])
            .args([
                "-profile:v",
                "baseline",
                "-level",
                "3.0",
                "-pix_fmt",
                "yuv420p",
            ])
            .args(["-g", &gop, "-keyint_min", &gop, "-sc_threshold", "0"])
            .args(["-b:v", &r.video_bps.to_string()])
            .args(["-maxrate", &(r.video_bps + r.video_bps / 10).to_string()])
            .args(["-bufsize", &(2 * r.video_bps).to_string()]);
    } else {
        c.args(["-af", "apad"]);
    }
    c.args([
        "-c:a",
        "aac",
        "-b:a",
        &r.audio_bps.to_string(),
        "-ac",
        "2",
        "-ar",
        "44100",
    ])
    .args(hls_args(asset, &out));
    run(&mut c)
}

/// Makes one asset into `dir/{id}`.
fn make_asset(asset: &Asset, dir: &Path) -> Result<(), String> {
    let tmp = dir.join(format!(".tmp-{}", asset.id));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let audio = audio_args(asset, &tmp);
    for r in asset.renditions {
        rendition(asset, r, &tmp, &audio)?;
    }
    let poster_source = if asset.kind == MediaKind::Video {
        asset.source.video
    } else {
        "cellauto=rule=110"
    };
    run(ffmpeg()
        .args(["-f", "lavfi", "-i"])
        .arg(video_source(poster_source, 426, 240))
        .args(["-ss", "1", "-frames:v", "1", "-q:v", "5"])
        .arg(tmp.join("poster.jpg")))?;
    if asset.kind == MediaKind::Audio {
        run(ffmpeg()
            .args(&audio)
            .args(["-t", &asset.seconds.to_string(), "-af", "apad"])
            .args(["-c:a", "aac", "-b:a", "64000", "-ac", "2", "-ar", "44100"])
            .args(["-movflags", "+faststart"])
            .arg(tmp.join("full.m4a")))?;
    }
    let _ = std::fs::remove_file(tmp.join("narration.wav"));
    let fin = dir.join(asset.id);
    let _ = std::fs::remove_dir_all(&fin);
    std::fs::rename(&tmp, &fin).map_err(|e| format!("{}: {e}", fin.display()))
}

/// Makes every asset into `dir` unless it is complete; returns whether it
/// made them.
pub fn make_media(dir: &Path) -> Result<bool, String> {
    if complete(dir) {
        return Ok(false);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(stamp_path(dir));
    let started = Instant::now();
    let results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = ASSETS
            .iter()
            .map(|a| s.spawn(move || make_asset(a, dir).map_err(|e| format!("{}: {e}", a.id))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("a thread panicked".into())))
            .collect()
    });
    for r in results {
        r?;
    }
    std::fs::write(stamp_path(dir), format!("{MEDIA_VERSION}\n"))
        .map_err(|e| format!("cannot write the stamp: {e}"))?;
    eprintln!(
        "made {} media assets into {} in {:.1} s",
        ASSETS.len(),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(true)
}
