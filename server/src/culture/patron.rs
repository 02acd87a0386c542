//! The patron's side of the cultural cloud: progress (resume anywhere),
//! ratings, views, and requests (点单).
