//! Fuel metering compiled into the job, and the stop signal that enforces its time limit.
//!
//! A job's module is validated and rewritten before it is compiled: each function keeps the fuel
//! left in a local, pays for each straight run of instructions when the run starts, and checks
//! the counter at its entry and at every loop head. None of that calls out of the job's code:
//! when the counter goes negative, a refill adds a chunk of [`CHUNK`] units to it, or traps when
//! no chunk is left. Each loop is wrapped in a retry loop that holds the refill, so the loop's
//! own head is a test and a branch out, and the compiled loop keeps its registers. (Wasmtime's
//! own fuel calls out of the loop to yield or to trap, and a call in a loop, even one almost
//! never taken, makes the compiler keep the loop's values where the call cannot clobber them.)
//!
//! # What the rewritten module has
//!
//! - One import after the job's own: `smartnodes.stop`, a shared memory of one page that the
//!   worker grows to two pages to stop the job at its time limit. The job's memory moves up to
//!   index 1.
//! - Two mutable `i64` globals after the job's own, exported as `smartnodes:fuel` (the fuel of
//!   the current chunk) and `smartnodes:chunks` (the whole chunks of [`CHUNK`] units not yet
//!   drawn). They are the module's own, so the compiled code reaches them at a fixed offset.
//! - No start section: the job's start function, if it has one, is exported as
//!   `smartnodes:start` for the worker to call once it has set the fuel.
//! - In every function: the fuel local loaded from the fuel global at entry and stored back
//!   before every call, before every way out of the function and before a trap for fuel or time;
//!   every loop inside a retry loop of the same type, and branches renumbered to match.
//!
//! # What fuel costs
//!
//! Every instruction costs one unit except `nop`, `drop`, `block`, `loop`, `else` and `end`,
//! which cost nothing. `memory.fill`, `memory.copy`, `memory.init`, `table.fill`, `table.copy`,
//! `table.init` and `table.grow` also cost one unit per [`BULK_BYTES_PER_FUEL`] elements, paid
//! (and checked) before they run, so none of them moves much on little fuel (`memory.grow` costs
//! one unit: the pages it adds are zeroed lazily, when the job touches them, and the memory limit
//! bounds them). A run of instructions is paid in full when it starts, so a job that runs out of
//! fuel stops at the check after the run that exhausted it. The fuel left is
//! `fuel + chunks × CHUNK` (exact whenever the job is not running); the same module, input and
//! limit give the same fuel used and the same stopping point on every machine, and a metering
//! trap sets `smartnodes:why` first, so the worker tells it from a trap of the job's own.
//!
//! # Time
//!
//! The stop memory's size is read where the counter is refilled, so a job notices a stop within
//! one chunk of fuel (about a millisecond of ordinary code). Reading it is an atomic load, not a
//! call.
//!
//! # What jobs may use
//!
//! WebAssembly 2.0 (bulk memory, reference types, multi-value, sign extension, saturating float
//! conversions, 128-bit SIMD) and extended constant expressions, with at most one memory.
//! Threads, relaxed SIMD, 64-bit memories, multiple memories, tail calls, exceptions, garbage
//! collection and the other proposals are refused with [`Error::InvalidModule`].

use crate::{Error, Result};
use wasm_encoder::{
	reencode::{self, Reencode},
	BlockType, CodeSection, ConstExpr, DataCountSection, DataSection, ElementSection, EntityType,
	ExportKind, ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection,
	Instruction, MemorySection, MemoryType, Module, TableSection, TypeSection, ValType,
};
use wasmparser::{
	FuncType, Operator, Parser, Payload, ValType as ValType32, Validator, WasmFeatures,
};

/// Where the worker's imports come from.
pub const IMPORT_MODULE: &str = "smartnodes";
/// The function a job gives its output to.
pub const OUTPUT: &str = "output";
/// The shared memory whose growth stops the job.
pub const STOP: &str = "stop";
/// The exported global with the fuel of the current chunk.
pub const FUEL: &str = "smartnodes:fuel";
/// The exported global with the whole chunks left.
pub const CHUNKS: &str = "smartnodes:chunks";
/// The exported `i32` global a metering trap sets first: [`STOPPED_FOR_FUEL`] or
/// [`STOPPED_FOR_TIME`]; 0 while the job runs, and after a trap of the job's own.
pub const WHY: &str = "smartnodes:why";
/// [`WHY`] after the job ran out of fuel.
pub const STOPPED_FOR_FUEL: i32 = 1;
/// [`WHY`] after the worker stopped the job at its time limit.
pub const STOPPED_FOR_TIME: i32 = 2;
/// The job's start function, exported for the worker to call.
pub const START: &str = "smartnodes:start";
/// What the names of the exports metering adds begin with; a job's own may not.
const RESERVED: &str = "smartnodes:";

/// Fuel in a chunk: how often a running job reads the stop memory.
pub const CHUNK: i64 = 1_000_000;
/// Elements a bulk memory or table instruction moves per unit of fuel.
pub const BULK_BYTES_PER_FUEL: i64 = 16;
const BULK_SHIFT: i64 = BULK_BYTES_PER_FUEL.trailing_zeros() as i64;

/// What a job's module may use.
fn features() -> WasmFeatures {
	WasmFeatures::WASM2 | WasmFeatures::EXTENDED_CONST
}

/// The stop memory's index in the rewritten module; the job's memory comes after it.
const STOP_MEMORY: u32 = 0;

fn invalid(message: impl std::fmt::Display) -> Error {
	Error::InvalidModule(message.to_string())
}

fn encoding<E: std::fmt::Debug>(error: reencode::Error<E>) -> Error {
	invalid(format!("cannot re-encode the module: {error:?}"))
}

/// The job's memory indices, moved past the stop memory.
struct Shift;

impl Reencode for Shift {
	type Error = &'static str;

	fn memory_index(
		&mut self,
		memory: u32,
	) -> std::result::Result<u32, reencode::Error<&'static str>> {
		memory.checked_add(1).ok_or(reencode::Error::UserError("too many memories"))
	}
}

/// The globals metering adds.
#[derive(Clone, Copy)]
struct Globals {
	fuel: u32,
	chunks: u32,
	why: u32,
}

/// Validates `code` as a job and returns it with fuel metering and the stop signal compiled in.
pub fn instrument(code: &[u8]) -> Result<Vec<u8>> {
	Validator::new_with_features(features()).validate_all(code).map_err(invalid)?;

	let mut shift = Shift;
	let mut module = Module::new();
	let mut types: Vec<FuncType> = Vec::new();
	// The type of each function, imported ones first, as the function index space has them.
	let mut function_types: Vec<u32> = Vec::new();
	let mut imported_functions = 0usize;
	let mut defined = 0usize;
	let mut globals: Option<Globals> = None;
	let mut imports_written = false;
	let mut exports_written = false;
	let start = start_function(code)?;
	let mut code_section: Option<CodeSection> = None;

	for payload in Parser::new(0).parse_all(code) {
		let payload = payload.map_err(invalid)?;
		// Where a section the job lacks would have been, metering's own is written: the
		// import section before the function section, the globals before the exports, the
		// exports before the start, element, data count, code and data sections.
		let rank = section_rank(&payload);
		if rank > 2 && !imports_written {
			module.section(&with_stop(ImportSection::new()));
			imports_written = true;
		}
		if rank > 6 && globals.is_none() {
			let (section, added) = with_fuel(GlobalSection::new(), 0)?;
			module.section(&section);
			globals = Some(added);
		}
		if rank > 7 && !exports_written {
			let added = globals.ok_or_else(|| invalid("globals before exports"))?;
			module.section(&with_exports(ExportSection::new(), added, start));
			exports_written = true;
		}
		match payload {
			Payload::Version { .. } | Payload::CustomSection(_) | Payload::End(_) => {},
			Payload::TypeSection(section) => {
				for group in section.clone() {
					for sub in group.map_err(invalid)?.into_types() {
						match sub.composite_type.inner {
							wasmparser::CompositeInnerType::Func(func) => types.push(func),
							_ => return Err(invalid("a job's types are function types")),
						}
					}
				}
				let mut out = TypeSection::new();
				shift.parse_type_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			Payload::ImportSection(section) => {
				for import in section.clone() {
					let import = import.map_err(invalid)?;
					// The job ABI's one import; anything else would be ambient access.
					match import.ty {
						wasmparser::TypeRef::Func(ty)
							if (import.module, import.name) == (IMPORT_MODULE, OUTPUT) =>
						{
							let signature = usize::try_from(ty).ok().and_then(|ty| types.get(ty));
							let (i32, none): (&[ValType32], &[ValType32]) =
								(&[ValType32::I32, ValType32::I32], &[]);
							if !signature.is_some_and(|f| f.params() == i32 && f.results() == none)
							{
								return Err(invalid(format!(
									"{IMPORT_MODULE}.{OUTPUT} is imported with the wrong type; it \
									 takes (i32, i32) and returns nothing"
								)));
							}
							function_types.push(ty);
							imported_functions = imported_functions.saturating_add(1);
						},
						_ => {
							return Err(Error::ForbiddenImport {
								module: import.module.into(),
								name: import.name.into(),
							})
						},
					}
				}
				let mut out = ImportSection::new();
				shift.parse_import_section(&mut out, section).map_err(encoding)?;
				module.section(&with_stop(out));
				imports_written = true;
			},
			Payload::FunctionSection(section) => {
				for ty in section.clone() {
					function_types.push(ty.map_err(invalid)?);
				}
				let mut out = FunctionSection::new();
				shift.parse_function_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			Payload::TableSection(section) => {
				let mut out = TableSection::new();
				shift.parse_table_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			Payload::MemorySection(section) => {
				let mut out = MemorySection::new();
				shift.parse_memory_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			Payload::GlobalSection(section) => {
				let count = section.count();
				let mut out = GlobalSection::new();
				shift.parse_global_section(&mut out, section).map_err(encoding)?;
				let (out, added) = with_fuel(out, count)?;
				module.section(&out);
				globals = Some(added);
			},
			Payload::ExportSection(section) => {
				for export in section.clone() {
					let export = export.map_err(invalid)?;
					if export.name.starts_with(RESERVED) {
						return Err(invalid(format!(
							"the export {:?} uses the prefix {RESERVED:?}, which the worker keeps",
							export.name
						)));
					}
				}
				let mut out = ExportSection::new();
				shift.parse_export_section(&mut out, section).map_err(encoding)?;
				let added = globals.ok_or_else(|| invalid("globals before exports"))?;
				module.section(&with_exports(out, added, start));
				exports_written = true;
			},
			// Exported instead (see `with_exports`), and called by the worker.
			Payload::StartSection { .. } => {},
			Payload::ElementSection(section) => {
				let mut out = ElementSection::new();
				shift.parse_element_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			Payload::DataCountSection { count, .. } => {
				module.section(&DataCountSection { count });
			},
			Payload::CodeSectionStart { .. } => {
				code_section = Some(CodeSection::new());
			},
			Payload::CodeSectionEntry(body) => {
				let index = imported_functions.saturating_add(defined);
				defined = defined.saturating_add(1);
				let ty = function_types
					.get(index)
					.and_then(|ty| types.get(usize::try_from(*ty).ok()?))
					.ok_or_else(|| invalid("a function body without a type"))?;
				let params = u32::try_from(ty.params().len()).map_err(invalid)?;
				let added = globals.ok_or_else(|| invalid("globals before code"))?;
				let function = meter(&mut shift, added, params, &body)?;
				code_section
					.as_mut()
					.ok_or_else(|| invalid("a function body outside the code section"))?
					.function(&function);
				if Some(defined) == function_types.len().checked_sub(imported_functions) {
					if let Some(section) = code_section.take() {
						module.section(&section);
					}
				}
			},
			Payload::DataSection(section) => {
				let mut out = DataSection::new();
				shift.parse_data_section(&mut out, section).map_err(encoding)?;
				module.section(&out);
			},
			other => {
				return Err(invalid(format!(
					"unexpected section {:?} in a job's module",
					other.as_section().map(|(id, _)| id)
				)))
			},
		}
	}
	Ok(module.finish())
}

/// A section's place in a module's order; 0 for what is not a section.
fn section_rank(payload: &Payload) -> u8 {
	match payload {
		Payload::TypeSection(_) => 1,
		Payload::ImportSection(_) => 2,
		Payload::FunctionSection(_) => 3,
		Payload::TableSection(_) => 4,
		Payload::MemorySection(_) => 5,
		Payload::GlobalSection(_) => 6,
		Payload::ExportSection(_) => 7,
		Payload::StartSection { .. } => 8,
		Payload::ElementSection(_) => 9,
		Payload::DataCountSection { .. } => 10,
		Payload::CodeSectionStart { .. } | Payload::CodeSectionEntry(_) => 11,
		Payload::DataSection(_) => 12,
		Payload::End(_) => 13,
		_ => 0,
	}
}

/// The job's start function, if it has one.
fn start_function(code: &[u8]) -> Result<Option<u32>> {
	for payload in Parser::new(0).parse_all(code) {
		if let Payload::StartSection { func, .. } = payload.map_err(invalid)? {
			return Ok(Some(func));
		}
	}
	Ok(None)
}

/// `imports` and the stop memory.
fn with_stop(mut imports: ImportSection) -> ImportSection {
	imports.import(
		IMPORT_MODULE,
		STOP,
		EntityType::Memory(MemoryType {
			minimum: 1,
			maximum: Some(2),
			memory64: false,
			shared: true,
			page_size_log2: None,
		}),
	);
	imports
}

/// `globals` (the job's `count`) and the fuel and why globals after them.
fn with_fuel(mut globals: GlobalSection, count: u32) -> Result<(GlobalSection, Globals)> {
	let next = |offset: u32| count.checked_add(offset).ok_or_else(|| invalid("too many globals"));
	for _ in 0..2 {
		globals.global(
			GlobalType { val_type: ValType::I64, mutable: true, shared: false },
			&ConstExpr::i64_const(0),
		);
	}
	globals.global(
		GlobalType { val_type: ValType::I32, mutable: true, shared: false },
		&ConstExpr::i32_const(0),
	);
	Ok((globals, Globals { fuel: next(0)?, chunks: next(1)?, why: next(2)? }))
}

/// `exports` and the fuel globals and the start function, if any.
fn with_exports(mut exports: ExportSection, globals: Globals, start: Option<u32>) -> ExportSection {
	exports.export(FUEL, ExportKind::Global, globals.fuel);
	exports.export(CHUNKS, ExportKind::Global, globals.chunks);
	exports.export(WHY, ExportKind::Global, globals.why);
	if let Some(function) = start {
		exports.export(START, ExportKind::Func, function);
	}
	exports
}

/// Whether a new run of instructions, paid together, starts after `op`: where other paths join
/// (a loop head, a block's end, an `else`), after a branch (taken or not), a call or a trap, and
/// inside an `if`. A run goes on into a `block`, which every path through the run enters, so a
/// run is paid only when all of it runs (a trap inside it aside).
fn ends_run(op: &Operator) -> bool {
	matches!(
		op,
		Operator::Loop { .. }
			| Operator::If { .. }
			| Operator::Else
			| Operator::End
			| Operator::Br { .. }
			| Operator::BrIf { .. }
			| Operator::BrTable { .. }
			| Operator::Return
			| Operator::Call { .. }
			| Operator::CallIndirect { .. }
			| Operator::Unreachable
	)
}

fn cost(op: &Operator) -> i64 {
	match op {
		Operator::Nop
		| Operator::Drop
		| Operator::Block { .. }
		| Operator::Loop { .. }
		| Operator::Else
		| Operator::End => 0,
		_ => 1,
	}
}

/// Whether `op` moves a run of elements whose count is on top of the stack.
fn is_bulk(op: &Operator) -> bool {
	matches!(
		op,
		Operator::MemoryFill { .. }
			| Operator::MemoryCopy { .. }
			| Operator::MemoryInit { .. }
			| Operator::TableFill { .. }
			| Operator::TableCopy { .. }
			| Operator::TableInit { .. }
			| Operator::TableGrow { .. }
	)
}

/// Emits metering code into a function.
struct Emit<'f> {
	function: &'f mut Function,
	globals: Globals,
	/// The local with the fuel left in the current chunk.
	fuel: u32,
	/// The local that keeps a bulk instruction's element count.
	count: u32,
}

impl Emit<'_> {
	fn op(&mut self, instruction: Instruction) {
		self.function.instruction(&instruction);
	}

	/// Stores the fuel local into the fuel global.
	fn sync(&mut self) {
		self.op(Instruction::LocalGet(self.fuel));
		self.op(Instruction::GlobalSet(self.globals.fuel));
	}

	/// Loads the fuel local from the fuel global.
	fn load(&mut self) {
		self.op(Instruction::GlobalGet(self.globals.fuel));
		self.op(Instruction::LocalSet(self.fuel));
	}

	fn charge(&mut self, amount: i64) {
		if amount == 0 {
			return;
		}
		self.op(Instruction::LocalGet(self.fuel));
		self.op(Instruction::I64Const(amount));
		self.op(Instruction::I64Sub);
		self.op(Instruction::LocalSet(self.fuel));
	}

	/// When the fuel is negative: traps (after storing the fuel and why) if the stop memory
	/// was grown or no chunk is left, and otherwise draws chunks until the fuel is not
	/// negative, then stores it. Leaves the stack as it found it.
	/// The refill uses only immediates and the fuel globals, so the compiled loop around a
	/// check keeps its registers.
	fn check(&mut self) {
		let (fuel, chunks) = (self.fuel, self.globals.chunks);
		// The usual case branches over the refill.
		self.op(Instruction::Block(BlockType::Empty));
		self.op(Instruction::LocalGet(fuel));
		self.op(Instruction::I64Const(0));
		self.op(Instruction::I64GeS);
		self.op(Instruction::BrIf(0));
		// Stopped?
		self.op(Instruction::MemorySize(STOP_MEMORY));
		self.op(Instruction::I32Const(1));
		self.op(Instruction::I32GtU);
		self.op(Instruction::If(BlockType::Empty));
		self.stop(STOPPED_FOR_TIME);
		self.op(Instruction::End);
		self.op(Instruction::Loop(BlockType::Empty));
		// No chunk left: out of fuel.
		self.op(Instruction::GlobalGet(chunks));
		self.op(Instruction::I64Eqz);
		self.op(Instruction::If(BlockType::Empty));
		self.stop(STOPPED_FOR_FUEL);
		self.op(Instruction::End);
		// chunks -= 1; fuel += CHUNK; again while fuel < 0
		self.op(Instruction::GlobalGet(chunks));
		self.op(Instruction::I64Const(1));
		self.op(Instruction::I64Sub);
		self.op(Instruction::GlobalSet(chunks));
		self.op(Instruction::LocalGet(fuel));
		self.op(Instruction::I64Const(CHUNK));
		self.op(Instruction::I64Add);
		self.op(Instruction::LocalTee(fuel));
		self.op(Instruction::I64Const(0));
		self.op(Instruction::I64LtS);
		self.op(Instruction::BrIf(0));
		self.op(Instruction::End);
		// The globals now hold what is left, as after a call: `chunks` has moved.
		self.sync();
		self.op(Instruction::End);
	}

	/// Stores the fuel and why the job stops, and traps.
	fn stop(&mut self, why: i32) {
		self.sync();
		self.op(Instruction::I32Const(why));
		self.op(Instruction::GlobalSet(self.globals.why));
		self.op(Instruction::Unreachable);
	}

	/// Pays for the elements a bulk instruction is about to move (their count is on top of the
	/// stack and stays there), then checks.
	fn charge_bulk(&mut self) {
		let (fuel, count) = (self.fuel, self.count);
		self.op(Instruction::LocalTee(count));
		self.op(Instruction::LocalGet(fuel));
		self.op(Instruction::LocalGet(count));
		self.op(Instruction::I64ExtendI32U);
		self.op(Instruction::I64Const(BULK_SHIFT));
		self.op(Instruction::I64ShrU);
		self.op(Instruction::I64Sub);
		self.op(Instruction::LocalSet(fuel));
		self.check();
	}
}

/// A branch's depth once the retry loops around the loops it leaves are counted: `open` is the
/// blocks open where it is, innermost last, `true` for a wrapped loop.
fn relabel(open: &[bool], relative_depth: u32) -> Result<u32> {
	let crossed = usize::try_from(relative_depth).map_err(invalid)?;
	let wrapped = open.iter().rev().take(crossed).filter(|wrapped| **wrapped).count();
	relative_depth
		.checked_add(u32::try_from(wrapped).map_err(invalid)?)
		.ok_or_else(|| invalid("a branch too deep"))
}

/// The function `body` (with `params` parameters) with metering compiled in.
fn meter(
	shift: &mut Shift,
	globals: Globals,
	params: u32,
	body: &wasmparser::FunctionBody,
) -> Result<Function> {
	let mut declared: Vec<(u32, ValType)> = Vec::new();
	let mut next_local = params;
	for group in body.get_locals_reader().map_err(invalid)? {
		let (count, ty) = group.map_err(invalid)?;
		declared.push((count, shift.val_type(ty).map_err(encoding)?));
		next_local = next_local
			.checked_add(count)
			.ok_or_else(|| invalid("too many locals in a function"))?;
	}
	let local = |offset: u32| {
		next_local.checked_add(offset).ok_or_else(|| invalid("too many locals in a function"))
	};
	let (fuel, count) = (local(0)?, local(1)?);
	declared.extend([(1, ValType::I64), (1, ValType::I32)]);

	let mut ops = Vec::new();
	let mut reader = body.get_operators_reader().map_err(invalid)?;
	while !reader.eof() {
		ops.push(reader.read().map_err(invalid)?);
	}
	// What each run of instructions costs, in order.
	let mut runs = Vec::new();
	let mut run = 0i64;
	for op in &ops {
		run = run.saturating_add(cost(op));
		if ends_run(op) {
			runs.push(run);
			run = 0;
		}
	}
	runs.push(run);
	let mut runs = runs.into_iter();

	let mut function = Function::new(declared);
	let mut emit = Emit { function: &mut function, globals, fuel, count };
	emit.load();
	emit.charge(runs.next().unwrap_or(0));
	emit.check();
	// The blocks open inside the function's own, innermost last, each marked if it is a loop
	// wrapped in a retry loop (see below). A branch as deep as their number leaves the function.
	let mut open: Vec<bool> = Vec::new();
	for op in ops {
		let depth = u32::try_from(open.len()).map_err(invalid)?;
		let leaves = match &op {
			Operator::Return => true,
			Operator::End => depth == 0,
			Operator::Br { relative_depth } | Operator::BrIf { relative_depth } => {
				*relative_depth == depth
			},
			Operator::BrTable { targets } => {
				targets.default() == depth
					|| targets.targets().any(|target| target.is_ok_and(|t| t == depth))
			},
			_ => false,
		};
		if leaves {
			emit.sync();
		}
		if is_bulk(&op) {
			emit.charge_bulk();
		}
		let is_call = matches!(op, Operator::Call { .. } | Operator::CallIndirect { .. });
		if is_call {
			emit.sync();
		}
		let ends = ends_run(&op);
		match op {
			// A loop is wrapped in a retry loop of the same type that holds the check with its
			// refill; the loop's own head only branches out to it when the fuel is negative
			// (its values, if the loop takes any, go along). The compiled loop then has no
			// refill code inside it to make room for, and its registers stay put.
			Operator::Loop { blockty } => {
				let blockty = shift.block_type(blockty).map_err(encoding)?;
				emit.op(Instruction::Loop(blockty));
				emit.check();
				emit.op(Instruction::Loop(blockty));
				emit.op(Instruction::LocalGet(emit.fuel));
				emit.op(Instruction::I64Const(0));
				emit.op(Instruction::I64LtS);
				emit.op(Instruction::BrIf(1));
				open.push(true);
			},
			Operator::Block { .. } | Operator::If { .. } => {
				open.push(false);
				emit.op(shift.instruction(op).map_err(encoding)?);
			},
			Operator::End => {
				emit.op(Instruction::End);
				if open.pop() == Some(true) {
					emit.op(Instruction::End);
				}
			},
			Operator::Br { relative_depth } => {
				emit.op(Instruction::Br(relabel(&open, relative_depth)?))
			},
			Operator::BrIf { relative_depth } => {
				emit.op(Instruction::BrIf(relabel(&open, relative_depth)?))
			},
			Operator::BrTable { targets } => {
				let mut relabeled = Vec::new();
				for target in targets.targets() {
					relabeled.push(relabel(&open, target.map_err(invalid)?)?);
				}
				let default = relabel(&open, targets.default())?;
				emit.op(Instruction::BrTable(relabeled.into(), default));
			},
			op => emit.op(shift.instruction(op).map_err(encoding)?),
		}
		if is_call {
			emit.load();
		}
		if ends {
			emit.charge(runs.next().unwrap_or(0));
		}
	}
	Ok(function)
}
