//! The directory's rules: how the libraries are grouped, and the links a
//! library's page offers (phone, map, its collection). Plain Rust with
//! native tests.

use yuelan_api::{FacetField, Library, LibraryKind, Service};

use crate::routes::AppRoute;
use crate::urlenc;

/// The groups of the list, in the order they are shown.
pub const KIND_ORDER: [LibraryKind; 4] = [
    LibraryKind::County,
    LibraryKind::Branch,
    LibraryKind::Village,
    LibraryKind::Unknown,
];

/// The libraries grouped by kind (county, branches, village centres, then
/// any kind this version does not know), each group in the order the
/// server gave (the network's order); empty groups are left out.
pub fn group_by_kind(libraries: &[Library]) -> Vec<(LibraryKind, Vec<&Library>)> {
    KIND_ORDER
        .iter()
        .map(|&kind| {
            let members: Vec<&Library> = libraries.iter().filter(|l| l.kind == kind).collect();
            (kind, members)
        })
        .filter(|(_, members)| !members.is_empty())
        .collect()
}

/// The library with `id`, if the list has it.
pub fn find<'a>(libraries: &'a [Library], id: &str) -> Option<&'a Library> {
    libraries.iter().find(|l| l.id == id)
}

/// The library `library` reports to, if it has one and the list has it
/// (and it is not the library itself).
pub fn parent<'a>(libraries: &'a [Library], library: &Library) -> Option<&'a Library> {
    let parent_id = library.parent_id.as_deref()?;
    (parent_id != library.id)
        .then(|| find(libraries, parent_id))
        .flatten()
}

/// The services to show: each once, in the library's order.
pub fn services(library: &Library) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::with_capacity(library.services.len());
    for s in &library.services {
        if !out.contains(s) {
            out.push(*s);
        }
    }
    out
}

/// A `tel:` link for a phone number as the library writes it
/// (`0752-6292671`, `+86 752 629 2671`, `(0752) 6292671`): digits, a
/// leading `+` and hyphens between digits kept; spaces, brackets and dots
/// dropped. The number ends at any other character (`0752-6292671 转 8`,
/// `…/6292672`: the first number). `None` when it has fewer than three
/// digits (nothing to dial).
pub fn tel_href(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let mut out = String::from("tel:");
    if phone.starts_with('+') {
        out.push('+');
    }
    let mut digits = 0;
    for c in phone.chars() {
        match c {
            '0'..='9' => {
                out.push(c);
                digits += 1;
            }
            '-' if out.ends_with(|c: char| c.is_ascii_digit()) => out.push('-'),
            '-' | '+' | ' ' | '(' | ')' | '.' => {}
            _ => break,
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    (digits >= 3).then_some(out)
}

/// Whether a latitude/longitude pair can be a place: finite, in range and
/// not the 0,0 a backend writes for "unknown".
pub fn has_position(latitude: f64, longitude: f64) -> bool {
    latitude.is_finite()
        && longitude.is_finite()
        && (-90.0..=90.0).contains(&latitude)
        && (-180.0..=180.0).contains(&longitude)
        && !(latitude == 0.0 && longitude == 0.0)
}

/// The AMap (高德地图) link showing the library on a map, from which the
/// patron gets directions: AMap's URI API marker page, with the WGS-84
/// position converted by AMap (`coordinate=wgs84`) and the app asked to
/// open where it is installed (`callnative=1`). `None` when the library
/// has no usable position.
pub fn amap_marker_url(latitude: f64, longitude: f64, name: &str) -> Option<String> {
    if !has_position(latitude, longitude) {
        return None;
    }
    let mut url = String::from("https://uri.amap.com/marker?position=");
    url.push_str(&degrees(longitude));
    url.push(',');
    url.push_str(&degrees(latitude));
    url.push_str("&name=");
    urlenc::encode_into(&mut url, name);
    url.push_str("&src=yuelan&coordinate=wgs84&callnative=1");
    Some(url)
}

/// An angle in degrees with at most six decimals (about 10 cm), trailing
/// zeros dropped: `113.887`, `-70.25`, `23`. Printed with integers only:
/// `f64`'s `Display` brought its float-printing code into the library
/// page's chunk (measured: that chunk went from 17.5 to 12.0 KB brotli).
pub fn degrees(value: f64) -> String {
    // In range (see `has_position`), so the product fits an `i64`.
    let micro = (value * 1e6).round() as i64;
    let abs = micro.unsigned_abs();
    let mut out = String::with_capacity(12);
    if micro < 0 {
        out.push('-');
    }
    out.push_str(&(abs / 1_000_000).to_string());
    let frac = abs % 1_000_000;
    if frac > 0 {
        // Six digits with their leading zeros, then without trailing ones.
        let digits = (frac + 1_000_000).to_string();
        out.push('.');
        out.push_str(digits[1..].trim_end_matches('0'));
    }
    out
}

/// The search page showing everything held at library `id`.
///
/// The search state is built through `AppRoute` (the default search and
/// its branch filter), as this folder does not import the catalog's.
pub fn collection_route(id: &str) -> AppRoute {
    let mut route = AppRoute::Search(Default::default());
    if let AppRoute::Search(state) = &mut route {
        state.toggle_filter(FacetField::Branch, id);
    }
    route
}

#[cfg(test)]
mod tests {
    use super::*;
    use yuelan_api::LocalizedText;

    fn library(id: &str, kind: LibraryKind, parent: Option<&str>) -> Library {
        Library {
            id: id.into(),
            name: LocalizedText::new(id, ""),
            kind,
            parent_id: parent.map(Into::into),
            address: LocalizedText::default(),
            phone: None,
            latitude: 23.1,
            longitude: 114.2,
            hours: Vec::new(),
            services: Vec::new(),
            pickup_point: false,
        }
    }

    #[test]
    fn groups_follow_kind_order_and_keep_network_order() {
        let list = vec![
            library("vc-a", LibraryKind::Village, Some("br-a")),
            library("br-b", LibraryKind::Branch, Some("county")),
            library("county", LibraryKind::County, None),
            library("x", LibraryKind::Unknown, None),
            library("br-a", LibraryKind::Branch, Some("county")),
        ];
        let groups: Vec<(LibraryKind, Vec<&str>)> = group_by_kind(&list)
            .into_iter()
            .map(|(k, ls)| (k, ls.iter().map(|l| l.id.as_str()).collect()))
            .collect();
        assert_eq!(
            groups,
            vec![
                (LibraryKind::County, vec!["county"]),
                (LibraryKind::Branch, vec!["br-b", "br-a"]),
                (LibraryKind::Village, vec!["vc-a"]),
                (LibraryKind::Unknown, vec!["x"]),
            ]
        );
        let no_villages = vec![library("county", LibraryKind::County, None)];
        assert_eq!(
            group_by_kind(&no_villages).len(),
            1,
            "empty groups are left out"
        );
        assert!(group_by_kind(&[]).is_empty());
    }

    #[test]
    fn parents_are_found_in_the_list() {
        let list = vec![
            library("county", LibraryKind::County, None),
            library("br-a", LibraryKind::Branch, Some("county")),
            library("vc-a", LibraryKind::Village, Some("br-a")),
            library("vc-lost", LibraryKind::Village, Some("br-gone")),
            library("loop", LibraryKind::Branch, Some("loop")),
        ];
        let parent_of = |id: &str| {
            find(&list, id)
                .and_then(|l| parent(&list, l))
                .map(|p| p.id.clone())
        };
        assert_eq!(parent_of("vc-a").as_deref(), Some("br-a"));
        assert_eq!(parent_of("br-a").as_deref(), Some("county"));
        assert_eq!(parent_of("county"), None);
        assert_eq!(parent_of("vc-lost"), None);
        assert_eq!(parent_of("loop"), None);
        assert!(find(&list, "nope").is_none());
    }

    #[test]
    fn services_show_once_each_in_order() {
        let mut l = library("a", LibraryKind::Branch, None);
        l.services = vec![
            Service::Lending,
            Service::Wifi,
            Service::Unknown,
            Service::Lending,
            Service::Unknown,
        ];
        assert_eq!(
            services(&l),
            [Service::Lending, Service::Wifi, Service::Unknown]
        );
    }

    #[test]
    fn phone_links_keep_only_what_can_be_dialled() {
        assert_eq!(
            tel_href("0752-6292671").as_deref(),
            Some("tel:0752-6292671")
        );
        assert_eq!(
            tel_href(" +86 752 629 2671 ").as_deref(),
            Some("tel:+867526292671")
        );
        assert_eq!(
            tel_href("(0752) 6292671 转 8").as_deref(),
            Some("tel:07526292671")
        );
        assert_eq!(
            tel_href("0752-6292671/6292672").as_deref(),
            Some("tel:0752-6292671")
        );
        assert_eq!(
            tel_href("javascript:alert(1)").as_deref(),
            None,
            "no number at the start"
        );
        assert_eq!(tel_href("--12-3--").as_deref(), Some("tel:12-3"));
        assert_eq!(tel_href("12"), None, "two digits are no number");
        assert_eq!(tel_href(""), None);
    }

    #[test]
    fn map_links_carry_the_wgs84_position_and_the_encoded_name() {
        assert_eq!(
            amap_marker_url(23.142, 113.887, "铁场村 & <中心>").as_deref(),
            Some(
                "https://uri.amap.com/marker?position=113.887,23.142&name=%E9%93%81%E5%9C%BA%E6%9D%91%20%26%20%3C%E4%B8%AD%E5%BF%83%3E&src=yuelan&coordinate=wgs84&callnative=1"
            )
        );
        assert_eq!(
            amap_marker_url(-33.5, -70.25, "x").as_deref(),
            Some(
                "https://uri.amap.com/marker?position=-70.25,-33.5&name=x&src=yuelan&coordinate=wgs84&callnative=1"
            )
        );
        assert_eq!(amap_marker_url(0.0, 0.0, "x"), None);
        assert_eq!(amap_marker_url(91.0, 10.0, "x"), None);
        assert_eq!(amap_marker_url(10.0, 181.0, "x"), None);
        assert_eq!(amap_marker_url(f64::NAN, 10.0, "x"), None);
        assert_eq!(amap_marker_url(10.0, f64::INFINITY, "x"), None);
    }

    #[test]
    fn degrees_print_with_up_to_six_decimals() {
        assert_eq!(degrees(113.887), "113.887");
        assert_eq!(degrees(23.142), "23.142");
        assert_eq!(degrees(-70.25), "-70.25");
        assert_eq!(degrees(23.0), "23");
        assert_eq!(degrees(0.000_001), "0.000001");
        assert_eq!(degrees(114.050_000_4), "114.05");
        assert_eq!(degrees(-0.000_000_1), "0");
        assert_eq!(degrees(-180.0), "-180");
        assert_eq!(degrees(23.123_456_7), "23.123457");
    }

    #[test]
    fn the_collection_link_filters_the_search_by_library() {
        assert_eq!(
            collection_route("vc-tiechang").to_href(),
            "/search?branch=vc-tiechang"
        );
        assert_eq!(
            collection_route("br x&y").to_href(),
            "/search?branch=br%20x%26y"
        );
    }
}
