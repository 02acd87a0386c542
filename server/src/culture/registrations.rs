//! Registrations for events with limited places (活动报名).
