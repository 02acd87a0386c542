//! The staff's printable page of seat QR codes, and calendar files of
//! bookings.
