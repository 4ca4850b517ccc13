//! A grant's own value held by the house without knowing its type: its facts, the raw
//! section of its claim file, what it computed once for its rules and forms. The house
//! carries it; only the grant reads it back ([`Own::get`]), as the type it put in.

use std::any::Any;
use std::fmt;

/// What an [`Own`] may hold: any value that can be cloned, shown and shared between
/// threads.
pub trait Value: Any + Send + Sync + fmt::Debug {
    fn clone_box(&self) -> Box<dyn Value>;
}

impl<T: Any + Send + Sync + fmt::Debug + Clone> Value for T {
    fn clone_box(&self) -> Box<dyn Value> {
        Box::new(self.clone())
    }
}

/// A grant's value, of a type the house does not name.
pub struct Own(Box<dyn Value>);

impl Own {
    pub fn new<T: Value>(value: T) -> Own {
        Own(Box::new(value))
    }

    /// The value, if it is a `T` (the grant that put it in reads it back).
    pub fn get<T: Any>(&self) -> Option<&T> {
        (&*self.0 as &dyn Any).downcast_ref()
    }

    pub fn get_mut<T: Any>(&mut self) -> Option<&mut T> {
        (&mut *self.0 as &mut dyn Any).downcast_mut()
    }
}

impl Clone for Own {
    fn clone(&self) -> Own {
        Own(self.0.clone_box())
    }
}

impl fmt::Debug for Own {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
