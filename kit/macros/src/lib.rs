//! The `#[test]` attribute of concur's hidden checks.
//!
//! concur compiles every hidden-check file in a crate whose root imports this crate with
//! `#[macro_use]`, so a check's plain `#[test]` (and `#[test] async fn`) means this macro, not
//! libtest's. It keeps the function a libtest test and wraps its body in
//! `concur_kit::harness::run_check`, which takes concur's channel before any learner code runs
//! and sends the pass record only once the body has returned without failing (see the kit's
//! `harness` module for why learner code cannot forge that record).
//!
//! In: a test function. Out: the same test, wrapped; a clear compile error for forms concur
//! cannot grade (`#[should_panic]`, arguments, generics).

use proc_macro::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{parse_macro_input, Expr, ExprLit, ItemFn, Lit, MetaNameValue, Token};

/// A hidden check: a libtest test whose pass concur can trust. `async fn` checks run on a
/// current-thread tokio runtime with every driver enabled, as `#[tokio::test]` would, or with
/// `#[test(flavor = "multi_thread", worker_threads = N)]` on a multi-thread one.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    let args =
        parse_macro_input!(args with Punctuated::<MetaNameValue, Token![,]>::parse_terminated);
    let check = parse_macro_input!(item as ItemFn);
    match runtime(&args).and_then(|threads| wrap(check, threads)) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Worker threads of a multi-thread runtime, or `None` for a current-thread one.
fn runtime(args: &Punctuated<MetaNameValue, Token![,]>) -> syn::Result<Option<usize>> {
    let (mut multi, mut threads) = (false, None);
    for arg in args {
        let value = match &arg.value {
            Expr::Lit(ExprLit { lit, .. }) => lit,
            other => return Err(syn::Error::new(other.span(), "expected a literal")),
        };
        match (
            arg.path.get_ident().map(ToString::to_string).as_deref(),
            value,
        ) {
            (Some("flavor"), Lit::Str(s)) if s.value() == "multi_thread" => multi = true,
            (Some("flavor"), Lit::Str(s)) if s.value() == "current_thread" => multi = false,
            (Some("worker_threads"), Lit::Int(n)) => threads = Some(n.base10_parse()?),
            _ => {
                return Err(syn::Error::new(
                    arg.span(),
                    "a concur check's #[test] takes only `flavor = \"multi_thread\"` and \
                     `worker_threads = N`, as #[tokio::test] does",
                ))
            }
        }
    }
    Ok(multi.then(|| threads.unwrap_or(2)))
}

fn wrap(check: ItemFn, threads: Option<usize>) -> syn::Result<proc_macro2::TokenStream> {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
        ..
    } = check;
    if let Some(attr) = attrs.iter().find(|a| a.path().is_ident("should_panic")) {
        return Err(syn::Error::new(
            attr.span(),
            "concur checks cannot use #[should_panic]: concur trusts a check only when it \
             returns, so catch the panic with std::panic::catch_unwind and assert on it",
        ));
    }
    if threads.is_some() && sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.span(),
            "a runtime flavor is only for `async fn` checks",
        ));
    }
    if !sig.inputs.is_empty() || !sig.generics.params.is_empty() {
        return Err(syn::Error::new(
            sig.span(),
            "a check takes no arguments and has no generic parameters",
        ));
    }
    let name = &sig.ident;
    let output = &sig.output;
    let block_on = match threads {
        Some(n) => quote!(::concur_kit::harness::block_on_threads(#n, __concur_check())),
        None => quote!(::concur_kit::harness::block_on(__concur_check())),
    };
    let run = if sig.asyncness.is_some() {
        quote! {
            async fn __concur_check() #output #block
            ::concur_kit::harness::run_check(
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#name)),
                || #block_on,
            )
        }
    } else {
        quote! {
            fn __concur_check() #output #block
            ::concur_kit::harness::run_check(
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#name)),
                __concur_check,
            )
        }
    };
    Ok(quote! {
        #[::core::prelude::v1::test]
        #(#attrs)*
        #vis fn #name() #output {
            #run
        }
    })
}
